/* Trang tra cứu giấy chứng nhận: the code typed or given as ?ma=, its SHA-256, and the
   file gcn/<sha256>.json that TapHuan published for it. Everything shown is set as text
   (never as HTML). The hash: crypto.subtle where the browser gives it (https, localhost),
   else sha256.js (a portal served over plain http). */
(function () {
  "use strict";
  var CODE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$/;
  var STATUS = {
    valid: ["hop-le", "Hợp lệ"],
    expired: ["het-han", "Hết hạn"],
    revoked: ["thu-hoi", "Đã thu hồi"],
    replaced: ["thay-the", "Đã được thay thế"]
  };

  function byId(id) { return document.getElementById(id); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function vnDate(iso) {
    var p = String(iso || "").split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : "";
  }
  function published() { return byId("cap-nhat").getAttribute("data-luc") || ""; }

  /* The code in what was typed or scanned: a code with spaces or dashes, a link with
     ?ma=, a QR text "TAPHUAN|số hiệu|mã" or one ending "… mã CODE". */
  function plain(text) {
    var t = String(text || "");
    if (t.normalize) t = t.normalize("NFC");  /* a scanner may split the Vietnamese marks */
    return t.replace(/[\u200b-\u200d\ufeff]/g, "").replace(/\s+/g, " ").trim();
  }

  /* What a scanned QR text says of its paper, to hold against the record: "TAPHUAN|số
     hiệu|mã" or "GCN số … · họ tên · khóa · cấp dd/mm/yyyy · mã …"; null for a bare code or
     a link (they say nothing more than the code). */
  function claimed(text) {
    var t = plain(text);
    if (/^TAPHUAN\|/i.test(t)) {
      var q = t.split("|");
      return q.length === 3 ? { serial: q[1].trim() } : { broken: true };
    }
    if (!/^GCN số /i.test(t)) return null;
    var p = t.split(" · ");
    var date = /^cấp (\d{2}\/\d{2}\/\d{4})$/.exec(p[3] || "");
    if (p.length !== 5 || !date || !/^mã /.test(p[4])) return { broken: true };
    return { serial: p[0].slice(7), name: p[1], course: p[2], issued: date[1] };
  }

  function sameOrCut(printed, full) {
    /* a long name or course title is cut on the QR, ending with "…" */
    if (printed.slice(-1) === "…") return plain(full).indexOf(printed.slice(0, -1).trim()) === 0;
    return printed === plain(full);
  }

  function agrees(said, d) {
    if (said.serial !== undefined && said.serial !== plain(d.serial)) return false;
    if (said.name !== undefined && !sameOrCut(said.name, d.name)) return false;
    if (said.course !== undefined && !sameOrCut(said.course, d.course)) return false;
    if (said.issued !== undefined && said.issued !== vnDate(d.issued_on)) return false;
    return true;
  }

  function codeFrom(text) {
    var t = plain(text);
    var m = /[?&]ma=([^&#]*)/i.exec(t);
    if (m) {
      try { t = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { t = m[1]; }
      t = plain(t);
      if (claimed(t)) return codeFrom(t);  /* a whole QR text given as ?ma= */
    } else if (/^TAPHUAN\|/i.test(t)) {
      t = t.split("|").pop();
    } else {
      m = /(?:^|\s)mã\s*:?\s*([A-Za-z0-9 \-]+)$/i.exec(t);
      if (m) t = m[1];
    }
    return t.replace(/[\s\-.]/g, "").toUpperCase();
  }

  function hex(buffer) {
    var b = new Uint8Array(buffer);
    var s = "";
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    return s;
  }

  function sha256(text) {
    var bytes = new TextEncoder().encode(text);
    var subtle = window.isSecureContext && window.crypto && window.crypto.subtle;
    document.body.setAttribute("data-bam", subtle ? "subtle" : "js");
    if (subtle) {
      return subtle.digest("SHA-256", bytes).then(hex, function () {
        return window.taphuanSha256(bytes);
      });
    }
    return Promise.resolve(window.taphuanSha256(bytes));
  }

  function show(kind, verdict, note, rows) {
    var box = byId("ket-qua");
    box.className = "ket-qua " + kind;
    byId("ket-luan").textContent = verdict;
    byId("giai-thich").textContent = note || "";
    var list = byId("chi-tiet");
    while (list.firstChild) list.removeChild(list.firstChild);
    (rows || []).forEach(function (row) {
      if (!row[1]) return;
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    document.body.setAttribute("data-ket-qua", kind);
  }

  function found(code, d) {
    var status = d.status;
    if (status === "valid" && d.expires_on && d.expires_on < today()) status = "expired";
    var s = STATUS[status] || ["khong-thay", "Không rõ trạng thái"];
    var issuer = d.issuer ? " do " + d.issuer + " cấp" : "";
    var note;
    if (status === "valid") {
      note = "Giấy chứng nhận" + issuer + " còn hiệu lực" +
        (d.expires_on ? " đến hết ngày " + vnDate(d.expires_on) : "") +
        ". Hãy đối chiếu họ tên, năm sinh và số hiệu dưới đây với giấy.";
    } else if (status === "expired") {
      note = "Giấy chứng nhận" + issuer + " chỉ có giá trị đến hết ngày " +
        vnDate(d.expires_on) + ".";
    } else if (status === "revoked") {
      note = "Giấy chứng nhận này đã bị thu hồi" +
        (d.revoked_on ? " ngày " + vnDate(d.revoked_on) : "") + ", không còn giá trị." +
        (d.reason ? " Lý do: " + d.reason.replace(/[.\s]+$/, "") + "." : "") +
        (d.replaced_by ? " Đã cấp lại bằng giấy chứng nhận số " + d.replaced_by + "." : "");
    } else if (status === "replaced") {
      note = "Giấy này đã được thay bằng giấy chứng nhận số " + (d.replaced_by || "khác") +
        "; chỉ giấy mới có giá trị.";
    } else {
      note = "Trang này không đọc được trạng thái của giấy; hãy liên hệ cơ quan cấp.";
    }
    var period = d.period ? d.period.charAt(0).toUpperCase() + d.period.slice(1) : "";
    show(s[0], s[1], note, [
      ["Họ và tên", d.name],
      ["Năm sinh", d.birth_year],
      ["Khóa học", d.course],
      ["Thời gian", period],
      ["Số hiệu", d.serial],
      ["Ngày cấp", vnDate(d.issued_on)],
      ["Cơ quan cấp", d.issuer],
      ["Có giá trị đến", vnDate(d.expires_on)],
      ["Ngày thu hồi", vnDate(d.revoked_on)],
      ["Lý do thu hồi", d.reason],
      ["Được thay bằng giấy số", d.replaced_by],
      ["Mã xác minh", code]
    ]);
  }

  function lookUp(typed) {
    var code = codeFrom(typed);
    var said = claimed(typed);
    if (said && said.broken) {
      show("sai-dang", "Nội dung mã QR không đúng dạng",
        "Nội dung đã quét không có dạng mã QR của giấy chứng nhận. Hãy nhập mã xác minh " +
        "gồm 10 ký tự in trên giấy.");
      return;
    }
    if (!code) {
      show("sai-dang", "Chưa nhập mã",
        "Hãy nhập mã xác minh gồm 10 ký tự in trên giấy chứng nhận, hoặc quét mã QR trên giấy.");
      return;
    }
    if (!CODE.test(code)) {
      show("sai-dang", "Mã không đúng dạng",
        "Mã xác minh gồm đúng 10 ký tự: chữ in hoa A–Z (không có I và O) và chữ số 2–9. " +
        "Mã đã nhập “" + code.slice(0, 40) + (code.length > 40 ? "…" : "") + "” có " +
        code.length + " ký tự.");
      return;
    }
    show("dang-tim", "Đang tra cứu…", "", []);
    sha256(code).then(function (name) {
      return fetch("gcn/" + name + ".json", { cache: "no-cache", credentials: "omit" });
    }).then(function (response) {
      if (response.status === 404 || response.status === 410) return null;
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (data === null) {
        show("khong-thay", "Không tìm thấy",
          "Không có giấy chứng nhận nào mang mã " + code + " trong dữ liệu công bố lúc " +
          published() + ". Hãy kiểm tra lại mã (dễ nhầm 8 với B, 5 với S, 2 với Z) " +
          "hoặc liên hệ cơ quan cấp giấy.");
      } else if (said && !agrees(said, data)) {
        show("khong-khop", "Không khớp với giấy đã cấp",
          "Mã xác minh " + code + " là của giấy chứng nhận số " + data.serial + ", nhưng nội " +
          "dung mã QR đã quét (số hiệu, họ tên, khóa học hoặc ngày cấp) khác với giấy đó. " +
          "Giấy này có thể đã bị sửa hoặc làm giả; hãy liên hệ cơ quan cấp.");
      } else {
        found(code, data);
      }
    }).catch(function () {
      show("loi", "Không tải được dữ liệu",
        "Không đọc được dữ liệu tra cứu từ máy chủ. Hãy thử lại sau ít phút; nếu vẫn không " +
        "được, hãy liên hệ cơ quan cấp giấy.");
    });
  }

  function keepInAddress(code) {
    if (!window.history || !window.URLSearchParams) return;
    var params = new URLSearchParams(window.location.search);
    params.set("ma", code);
    window.history.replaceState(null, "", "?" + params.toString());
  }

  function start() {
    var when = document.body.getAttribute("data-published") || "";
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(when);
    byId("cap-nhat").setAttribute("data-luc",
      m ? m[3] + "/" + m[2] + "/" + m[1] + " " + m[4] + ":" + m[5] : when);
    var input = byId("ma");
    byId("tra-cuu").addEventListener("submit", function (event) {
      event.preventDefault();
      var code = codeFrom(input.value);
      if (CODE.test(code)) keepInAddress(code);
      lookUp(input.value);
    });
    var given = window.URLSearchParams ?
      new URLSearchParams(window.location.search).get("ma") : null;
    if (given !== null) {
      input.value = given;
      lookUp(given);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
