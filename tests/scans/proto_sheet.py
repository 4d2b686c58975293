import io, sys
sys.path.insert(0, "/work/wt-i19")
from datetime import datetime
from app.documents.attendance_sheet import SignInRow, SignInSheet, render_sign_in_sheet
from app.documents.common import Heading
from app.documents.sheet_marks import SheetLayout
from reportlab.lib.pagesizes import A4
def make(n=40, qr=False, code="K7M2Q9XD"):
    rows=[SignInRow(f"Nguyễn Thị Thanh Hương {i}","1986","Hội Liên hiệp Phụ nữ xã Đại Điền","Chi hội trưởng","0903111222",f"AB{i:06d}") for i in range(n)]
    h=Heading("UBND tỉnh Vĩnh Long","Sở Khoa học và Công nghệ","Vĩnh Long")
    d=SignInSheet(h,"TH-2026-01","Kỹ năng số cơ bản","Buổi 2",datetime(2026,3,2,7,30),datetime(2026,3,2,11),"Hội trường UBND xã","Lê Văn An","Trung tâm CNS",rows,show_qr=qr,sheet_code=code)
    lay=SheetLayout(*A4); buf=io.BytesIO(); n=render_sign_in_sheet(d,buf,lay); return buf.getvalue(), lay
if __name__=="__main__":
    pdf, lay = make(40)
    open("/tmp/i19/sheet.pdf","wb").write(pdf)
    print(lay.pages, lay.sign_x, lay.name_x, len(lay.rows), lay.rows[:3], lay.rows[-2:])
