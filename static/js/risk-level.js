// Show the level the office's rubric suggests as the four factors are graded (the server
// computes and records the same suggestion when the form is saved).
(function () {
  const box = document.querySelector(".assessment-form");
  const out = document.getElementById("suggested-level");
  const labels = {1: "一级", 2: "二级", 3: "三级"};
  function grade(name) { const c = box.querySelector(`input[name=${name}]:checked`); return c ? Number(c.value) : null; }
  function update() {
    const f = ["importance", "discretion", "probability", "harm"].map(grade);
    if (f.includes(null)) return;
    const sum = f.reduce((a, b) => a + b, 0);
    let level = 3;
    if (sum >= Number(box.dataset.first) || (box.dataset.rule === "1" && f[0] === 3 && f[3] === 3)) level = 1;
    else if (sum >= Number(box.dataset.second)) level = 2;
    out.textContent = labels[level] + "（四项合计 " + sum + " 分）";
    if (!box.querySelector("input[name=level]:checked")) {
      const radio = box.querySelector(`input[name=level][value="${level}"]`);
      if (radio) radio.checked = true;
    }
  }
  box.addEventListener("change", update);
  update();
})();
