import sys; sys.path.insert(0, "/work/wt-i19"); sys.path.insert(0, "/tmp/i19")
import numpy as np, cv2
from gen import make_case
import app.scan.locate as L
from app.documents.sheet_marks import MARK, mark_centres
pdf, lay, pages = make_case(int(sys.argv[1]))
img, page, truth = pages[0]
gray=img.min(axis=2)
text, iq = L._page_qr(gray)
pq = L._qr_corners(lay.page_w, text)
ppt = float(np.linalg.norm(iq[1]-iq[0])/np.linalg.norm(pq[1]-pq[0]))
sim = L._similarity(pq, iq)
print("ppt", ppt, "shape", gray.shape)
print("pred", [ (sim @ np.array([x,y,1.0])).round() for x,y in mark_centres(lay.page_w, lay.page_h)])
c = L._mark_candidates(gray, MARK*ppt)
print("cands", len(c), [tuple(round(v) for v in x) for x in c[:20]])
