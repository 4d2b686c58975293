import sys; sys.path.insert(0, "/work/wt-i19"); sys.path.insert(0, "/tmp/i19")
import numpy as np, cv2
from gen import make_case
import app.scan.locate as L
from app.documents.sheet_marks import MARK, mark_centres
seed,pg=int(sys.argv[1]),int(sys.argv[2])
pdf, lay, pages = make_case(seed)
img, page, truth = pages[pg-1]
gray=img.min(axis=2)
cv2.imwrite("/tmp/i19/fail.jpg", cv2.resize(img,None,fx=0.35,fy=0.35))
text, iq = L._page_qr(gray)
pq = L._qr_corners(lay.page_w, lay.page_h, text)
ppt = float(np.linalg.norm(iq[1]-iq[0])/np.linalg.norm(pq[1]-pq[0]))
c = L._mark_candidates(gray, MARK*ppt)
print("ppt", ppt, len(c))
sim=L._similarity(pq, iq)
for x,y in mark_centres(lay.page_w, lay.page_h):
    g = sim @ np.array([x, lay.page_h-y, 1.0])
    best=min(c, key=lambda q:(q[0]-g[0])**2+(q[1]-g[1])**2)
    print(g.round(), np.round(best), round(np.hypot(best[0]-g[0],best[1]-g[1])/ppt/2.835,1),"mm")
expected=[(x, lay.page_h-y) for x,y in mark_centres(lay.page_w, lay.page_h)]
found={}
for k in (2,3,1,0):
    src=[tuple(x) for x in pq]+[expected[i] for i in found]; dst=[tuple(x) for x in iq]+[found[i] for i in found]
    fit = L._similarity(np.array(src), np.array(dst)) if len(found)<2 else L._affine(src,dst)
    g=fit @ np.array([expected[k][0], expected[k][1], 1.0])
    best=min(c, key=lambda q:(q[0]-g[0])**2+(q[1]-g[1])**2)
    print(k, g.round(), np.round(best), round(np.hypot(best[0]-g[0],best[1]-g[1])/ppt/2.835,1),"mm")
    found[k]=best
