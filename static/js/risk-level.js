// The risk form around what the server says (htmx fragments; the rules live on the server):
// - the rubric's suggested level comes from riskpoints:suggest; it is chosen as the level
//   until the user chooses one;
// - a chosen power's category suggests the importance and the 重点领域 (riskpoints:power_steps);
//   they are applied until the user chooses their own;
// - Enter in the power search box searches instead of submitting the form.
(function () {
  const box = document.querySelector(".assessment-form");
  if (!box) return;
  const isNew = box.dataset.new === "1";
  const checked = (name) => document.querySelector(`input[name=${name}]:checked`);
  const keyArea = () => document.getElementById("id_key_area");
  const stepField = () => document.getElementById("step-field") || {dataset: {}};
  const picked = checked("importance");
  const auto = {
    importance: !picked || (isNew && picked.value === stepField().dataset.importance),
    key_area: !!keyArea() && (!keyArea().value || (isNew && keyArea().value === stepField().dataset.keyArea)),
    level: !checked("level"),
  };
  let applying = false;

  document.addEventListener("change", (event) => {
    if (!applying && event.target.name in auto) auto[event.target.name] = false;
  });

  function applySuggestions() {
    const hint = stepField().dataset;
    applying = true;
    if (auto.importance && hint.importance) {
      const radio = document.querySelector(`input[name=importance][value="${hint.importance}"]`);
      if (radio && !radio.checked) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", {bubbles: true}));  // asks for the level again
      }
    }
    if (auto.key_area && keyArea() && hint.keyArea !== undefined && keyArea().value !== hint.keyArea) {
      keyArea().value = hint.keyArea;
    }
    const level = (document.getElementById("suggested-level") || {dataset: {}}).dataset.level;
    if (auto.level && level) {
      const radio = document.querySelector(`input[name=level][value="${level}"]`);
      if (radio) radio.checked = true;
    }
    applying = false;
  }

  document.body.addEventListener("htmx:afterSettle", applySuggestions);

  const search = document.getElementById("power-search");
  if (search) {
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        search.dispatchEvent(new Event("search"));
      }
    });
  }
})();
