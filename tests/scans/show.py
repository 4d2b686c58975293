import sys; sys.path.insert(0, "/work/wt-i19"); sys.path.insert(0, "/tmp/i19")
import numpy as np, cv2
from gen import make_case
from app.scan.locate import locate
from app.scan.ink import flatten, _box, Cell, SCALE
seed, pg = int(sys.argv[1]), int(sys.argv[2])
pdf, lay, pages = make_case(seed)
img, page, truth = pages[pg-1]
cv2.imwrite("/tmp/i19/src.jpg", cv2.resize(img, None, fx=0.5, fy=0.5))
gray=img.min(axis=2)
loc=locate(gray, lay.page_w, lay.page_h)
flat=flatten(gray, loc.homography, lay.page_w, lay.page_h)
vis=cv2.cvtColor(flat, cv2.COLOR_GRAY2BGR)
for r in lay.on_page(page):
    x0,y0,x1,y1=_box(Cell(lay.sign_x[0], lay.sign_x[1], r.y_bottom, r.y_top), lay.page_h)
    col={True:(0,160,0),False:(0,0,255),None:(255,0,255)}[truth[r.row_no]]
    cv2.rectangle(vis,(x0,y0),(x1,y1),col,2); cv2.putText(vis,str(r.row_no),(x1+5,y1-5),0,0.8,col,2)
cv2.imwrite("/tmp/i19/vis.png", cv2.resize(vis,None,fx=0.5,fy=0.5))
