// Point canvas for notebook 09's playground (nnlib.widgets.playground.PointCanvas): click or
// drag to put points of the current brush (a class, or a value for regression) onto the plane
// [-extent, extent]^2. On pointerup the whole list [[x1, x2, label], ...] goes to the kernel.
// Colours come from the kernel (`colors`, one per brush), so they are defined in viz/style.py.
function render({ model, el }) {
  const size = model.get("size");
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.className = "nnlib-point-canvas";
  const [frame, axes, paper] = model.get("greys");
  canvas.style.cssText = `width:${size}px;height:${size}px;touch-action:none;cursor:crosshair;` +
    `border:1px solid ${frame};background:${paper}`;
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  let points = (model.get("points") || []).map((p) => p.slice());
  let down = false, last = null;

  const toData = (e) => {
    const r = canvas.getBoundingClientRect(), ext = model.get("extent");
    const px = (e.clientX - r.left) * size / r.width, py = (e.clientY - r.top) * size / r.height;
    return [[(px / size * 2 - 1) * ext, (1 - py / size * 2) * ext], [px, py]];
  };
  const toPixel = (x, y) => {
    const ext = model.get("extent");
    return [(x / ext + 1) / 2 * size, (1 - y / ext) / 2 * size];
  };
  const draw = () => {
    const colors = model.get("colors"), brushes = model.get("brushes");
    ctx.clearRect(0, 0, size, size);
    ctx.strokeStyle = axes;
    ctx.beginPath();
    ctx.moveTo(size / 2, 0); ctx.lineTo(size / 2, size);
    ctx.moveTo(0, size / 2); ctx.lineTo(size, size / 2);
    ctx.stroke();
    for (const [x, y, label] of points) {
      const [px, py] = toPixel(x, y);
      const k = brushes.indexOf(String(label));
      ctx.fillStyle = colors[k >= 0 ? k : 0];
      ctx.beginPath();
      ctx.arc(px, py, 4, 0, 2 * Math.PI);
      ctx.fill();
      ctx.strokeStyle = paper;
      ctx.stroke();
    }
  };
  const add = (e) => {
    const [[x, y], pix] = toData(e);
    if (last && Math.hypot(pix[0] - last[0], pix[1] - last[1]) < model.get("spacing")) return;
    last = pix;
    points.push([x, y, model.get("brush")]);
    draw();
  };
  canvas.addEventListener("pointerdown", (e) => {
    down = true;
    last = null;
    canvas.setPointerCapture(e.pointerId);
    add(e);
  });
  canvas.addEventListener("pointermove", (e) => { if (down) add(e); });
  const stop = () => {
    if (!down) return;
    down = false;
    model.set("points", points.map((p) => p.slice()));
    model.save_changes();
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  model.on("change:points", () => { points = (model.get("points") || []).map((p) => p.slice()); draw(); });
  model.on("change:extent", draw);
  model.on("change:colors", draw);
  draw();
}
export default { render };
