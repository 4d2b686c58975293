"""Prototype: synthetic scans of our own sheets, with ground truth."""
import io, sys, math
sys.path.insert(0, "/work/wt-i19"); sys.path.insert(0, "/tmp/i19")
import numpy as np, cv2, pypdfium2 as pdfium
from proto_sheet import make

def signature(img, x0, y0, x1, y1, rng, colour, px_mm, overflow=False):
    """A pen stroke across the box (pixels, y down)."""
    w, h = x1 - x0, y1 - y0
    n = rng.integers(40, 90)
    t = np.linspace(0, 1, n)
    start = x0 + w * rng.uniform(0.05, 0.3); end = x0 + w * rng.uniform(0.55, 0.95)
    xs = start + (end - start) * t + rng.normal(0, w * 0.01, n)
    amp = h * rng.uniform(0.12, 0.32) * (1.5 if overflow else 1)
    freq = rng.uniform(2, 6)
    ys = y0 + h * rng.uniform(0.4, 0.6) + amp * np.sin(2 * math.pi * freq * t + rng.uniform(0, 6)) + rng.normal(0, h * 0.02, n)
    if overflow:
        ys += h * rng.choice([-0.15, 0.15])
    loops = rng.uniform(0, 0.3) * w
    xs += loops * np.sin(2 * math.pi * freq * 2 * t) * 0.2
    width = rng.uniform(0.3, 0.7) * px_mm
    for i in range(n - 1):
        pressure = 0.6 + 0.4 * math.sin(math.pi * t[i])
        th = max(1, int(round(width * pressure)))
        cv2.line(img, (int(xs[i]), int(ys[i])), (int(xs[i+1]), int(ys[i+1])), colour, th, cv2.LINE_AA)

def page_image(pdf, page, dpi):
    doc = pdfium.PdfDocument(pdf)
    return doc[page - 1].render(scale=dpi / 72).to_numpy()[:, :, :3].copy()  # BGR? pdfium gives BGR(A)

def distort(img, rng, rot90, angle, persp, blur, jpeg, light, fold):
    h, w = img.shape[:2]
    # background: a darker table around the page
    pad = int(0.22 * max(h, w))
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), rng.integers(40, 120), np.uint8)
    canvas[pad:pad+h, pad:pad+w] = img
    H, W = canvas.shape[:2]
    src = np.float32([[pad, pad], [pad+w, pad], [pad+w, pad+h], [pad, pad+h]])
    dst = src + rng.uniform(-persp, persp, (4, 2)).astype(np.float32) * np.float32([w, h])
    c = np.float32([W / 2, H / 2]); a = math.radians(angle)
    R = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = (dst - c) @ R.T + c
    M = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(canvas, M, (W, H), borderValue=(60, 60, 60))
    if fold:
        xs = np.arange(W); fx = rng.uniform(0.3, 0.7) * W
        shade = 1 - 0.35 * np.exp(-((xs - fx) / (0.02 * W)) ** 2)
        out = (out * shade[None, :, None]).astype(np.uint8)
    if light:
        gy, gx = np.mgrid[0:H, 0:W]
        g = 1 - light * (gx / W * rng.uniform(0.3, 1) + gy / H * rng.uniform(0.3, 1)) / 2
        out = (out * g[:, :, None]).clip(0, 255).astype(np.uint8)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    out = np.rot90(out, rot90).copy()
    if jpeg:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, jpeg]); out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return out

def make_case(seed, n_people=30):
    rng = np.random.default_rng(seed)
    pdf, lay = make(n_people, qr=bool(seed % 3 == 0), code=f"K{seed:05d}X")
    dpi = [150, 300][seed % 2]
    pages = []
    for page in range(1, lay.pages + 1):
        img = page_image(pdf, page, dpi)
        s = dpi / 72; px_mm = dpi / 25.4
        truth = {}
        for r in lay.on_page(page):
            if r.row_no > n_people:  # blank walk-in rows: names by hand, judged apart
                continue
            signed = rng.random() < 0.6
            truth[r.row_no] = signed
            x0, x1 = lay.sign_x[0] * s, lay.sign_x[1] * s
            y0 = (lay.page_h - r.y_top) * s; y1 = (lay.page_h - r.y_bottom) * s
            colour = [(150, 40, 20), (30, 30, 30), (190, 90, 40)][rng.integers(0, 3)]
            if signed:  # one in five overflows into a neighbouring cell
                signature(img, int(x0), int(y0), int(x1), int(y1), rng, colour, px_mm, overflow=rng.random() < 0.2)
        if seed % 2 == 0:  # an office scanner: a little crooked, sharp, even light
            img = distort(img, rng, rot90=int(rng.integers(0, 4)), angle=rng.uniform(-3, 3), persp=0,
                          blur=rng.uniform(0, 0.6), jpeg=0, light=0, fold=rng.random() < 0.2)
        else:  # a phone photo
            img = distort(img, rng, rot90=int(rng.integers(0, 4)), angle=rng.uniform(-10, 10),
                          persp=rng.uniform(0, 0.05), blur=rng.uniform(0, 1.2), jpeg=int(rng.integers(45, 95)),
                          light=rng.uniform(0, 0.4), fold=rng.random() < 0.3)
        pages.append((img, page, truth))
    return pdf, lay, pages
