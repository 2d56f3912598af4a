// Small behaviours shared by every page, wired by data attributes so that no template needs an
// inline script or an on…= handler (the Content-Security-Policy allows scripts from 'self' only).
//   data-print                 a button that prints the page
//   data-confirm="question"    a button or link that goes ahead only when the user confirms
//   data-check-all="name"      a checkbox that ticks or clears every checkbox named "name"
//   data-url-template="…/0/"   a GET form whose field data-url-field="unit" replaces the 0 in the
//                              URL (goes to that unit's page, taking the form's other fields along
//                              as its query)
document.addEventListener("click", function (event) {
  var printer = event.target.closest("[data-print]");
  if (printer) { event.preventDefault(); window.print(); return; }
  var asker = event.target.closest("[data-confirm]");
  if (asker && !window.confirm(asker.dataset.confirm)) event.preventDefault();
});

document.querySelectorAll("[data-check-all]").forEach(function (all) {
  all.addEventListener("click", function () {
    document.querySelectorAll('input[name="' + all.dataset.checkAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
});

document.querySelectorAll("form[data-url-template]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = form.elements[form.dataset.urlField].value;
    var query = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (k !== form.dataset.urlField && v !== "") query.append(k, v); });
    location.href = form.dataset.urlTemplate.replace("/0/", "/" + encodeURIComponent(value) + "/") +
      (query.toString() ? "?" + query.toString() : "");
  });
});
