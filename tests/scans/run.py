import sys, time; sys.path.insert(0, "/work/wt-i19"); sys.path.insert(0, "/tmp/i19")
import numpy as np, cv2
from gen import make_case
from app.scan.locate import locate, NotLocated
from app.scan.ink import flatten, judge_column, Cell
tot=err=unc=0; fails=[]; t0=time.perf_counter(); npages=0; inks={True:[],False:[]}
for seed in range(int(sys.argv[1]) if len(sys.argv)>1 else 6):
    pdf, lay, pages = make_case(seed)
    for img, page, truth in pages:
        npages+=1
        gray = img.min(axis=2)
        try:
            loc = locate(gray, lay.page_w, lay.page_h)
        except NotLocated as e:
            fails.append((seed, page, e.reason)); continue
        flat = flatten(gray, loc.homography, lay.page_w, lay.page_h)
        from app.scan.ink import rules_found
        cells=[Cell(lay.sign_x[0], lay.sign_x[1], r.y_bottom, r.y_top) for r in lay.on_page(page)]
        rf = rules_found(flat, cells, lay.page_h)
        if rf < 0.85: fails.append((seed, page, f"rules {rf:.2f}")); continue
        if seed==0 and page==1: cv2.imwrite("/tmp/i19/flat.png", flat); cv2.imwrite("/tmp/i19/img.jpg", img)
        vs = judge_column(flat, cells, lay.page_h)
        for r, v in zip(lay.on_page(page), vs):
            t = truth.get(r.row_no)
            if t is None: continue
            inks[t].append(v.ink)
            tot+=1
            if v.state=="uncertain": unc+=1; print("UNC", seed, page, r.row_no, t, round(v.ink,1)) if "-v" in sys.argv else None
            elif (v.state=="signed")!=t: err+=1; print("ERR", seed, page, r.row_no, t, round(v.ink,2))
dt=time.perf_counter()-t0
print(f"cells {tot} errors {err} uncertain {unc} ({unc/max(tot,1):.1%}) pages {npages} fails {fails} {npages/dt:.2f} pages/s (incl. generation)")
for k in inks: a=np.array(inks[k]); print(k, a.min() if len(a) else None, np.percentile(a,[1,5,50,95,99]) if len(a) else None, a.max() if len(a) else None)
