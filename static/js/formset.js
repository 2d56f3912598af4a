// "Add one more" for Django formsets without a page reload.
// Markup: an element with data-formset="<prefix>" holding the forms, a <template> with the
// formset's empty_form (its fields named "<prefix>-__prefix__-…"), and a [data-formset-add] button.
document.querySelectorAll("[data-formset]").forEach(function (box) {
  var prefix = box.dataset.formset;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = box.querySelector("template");
  box.querySelector("[data-formset-add]").addEventListener("click", function () {
    template.insertAdjacentHTML("beforebegin", template.innerHTML.replace(/__prefix__/g, total.value));
    total.value = Number(total.value) + 1;
    var added = template.previousElementSibling;
    var first = added && added.querySelector("input, select, textarea");
    if (first) first.focus();
  });
});
