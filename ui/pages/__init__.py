"""One page per area of work, switched by the main window."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    slug: str  # for --page
    title: str
    description: str


PAGES = [
    PageInfo(
        "tong-quan",
        "Tổng quan",
        "Buổi học tuần này và tuần sau, việc còn tồn, số liệu năm so với chỉ tiêu.",
    ),
    PageInfo(
        "hoc-vien",
        "Học viên",
        "Danh sách học viên: tìm kiếm, thêm, sửa, gộp hồ sơ trùng, nhập và xuất Excel.",
    ),
    PageInfo(
        "to-cnscd",
        "Tổ CNSCĐ",
        "Tổ công nghệ số cộng đồng theo cấp tỉnh, huyện, xã, ấp; thành viên và đơn vị hành chính.",
    ),
    PageInfo("khoa-hoc", "Khóa học", "Các lớp tập huấn: kế hoạch, buổi học, ghi danh học viên."),
    PageInfo("lich", "Lịch", "Lịch các buổi học theo tuần và tháng, phát hiện trùng lịch."),
    PageInfo(
        "diem-danh",
        "Điểm danh",
        "Điểm danh từng buổi, quét mã, điểm kiểm tra đầu vào và đầu ra, in danh sách ký tên.",
    ),
    PageInfo("chung-nhan", "Chứng nhận", "Cấp, in, tra cứu, thu hồi và cấp lại giấy chứng nhận."),
    PageInfo("bao-cao", "Báo cáo", "Tổng hợp số liệu, biểu đồ và báo cáo định kỳ."),
    PageInfo("nhat-ky", "Nhật ký", "Nhật ký thao tác: ai làm gì, khi nào, trước và sau."),
    PageInfo(
        "cai-dat", "Cài đặt", "Cơ quan cấp chứng nhận, người ký, mẫu số hiệu và các thiết lập."
    ),
]


def shortcut(slug: str) -> str:
    """The page's key in the Xem menu: Ctrl+ its place, from Ctrl+0 for Tổng quan (the
    first page, added last) so that the other pages kept the keys people learned."""
    return f"Ctrl+{[p.slug for p in PAGES].index(slug)}"
