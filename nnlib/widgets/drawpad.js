// Drawing pad for notebook 13 (nnlib.widgets.drawpad.DrawPad): draw with the mouse, a pen or a
// finger; on pointerup the ink (alpha channel) is averaged over blocks down to `grid` x `grid`
// and sent to the kernel as a flat list of 0..255 ints. Incrementing `clear` wipes the canvas.
function render({ model, el }) {
  const size = model.get("size");
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.style.cssText = `width:${size}px;height:${size}px;background:#000;touch-action:none;` +
    "cursor:crosshair;border-radius:6px;border:1px solid #888";
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  let drawing = false;
  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * size / r.width, (e.clientY - r.top) * size / r.height];
  };
  const send = () => {
    const n = model.get("grid"), k = size / n;
    const alpha = ctx.getImageData(0, 0, size, size).data;
    const out = new Array(n * n).fill(0);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        out[Math.floor(y / k) * n + Math.floor(x / k)] += alpha[4 * (y * size + x) + 3];
      }
    }
    model.set("pixels", out.map((v) => Math.round(v / (k * k))));
    model.save_changes();
  };
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    const [x, y] = pos(e);
    ctx.strokeStyle = ctx.fillStyle = "#fff";
    ctx.lineWidth = model.get("brush");
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.arc(x, y, ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(x, y);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    const [x, y] = pos(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const stop = () => {
    if (!drawing) return;
    drawing = false;
    send();
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  const wipe = () => ctx.clearRect(0, 0, size, size);
  model.on("change:clear", wipe);
  return () => model.off("change:clear", wipe);
}

export default { render };
