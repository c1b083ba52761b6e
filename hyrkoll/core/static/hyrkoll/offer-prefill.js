// The supplier's offer form: choosing a consultant fills the licence number, competence and CPR
// training from the consultant's record (carried on the option as data-* attributes), unless the
// user typed something else. Without this script the server takes empty fields from the record.
document.addEventListener("DOMContentLoaded", function () {
  var consultant = document.getElementById("id_consultant");
  if (!consultant) {
    return;
  }
  var targets = {licence: "id_licence_number", competence: "id_competence", hlr: "id_hlr_trained_on"};
  var filled = {};
  var numberField = document.getElementById("id_personal_number");
  var numberHint = null;
  if (numberField) {
    numberHint = document.createElement("p");
    numberHint.className = "hint";
    numberHint.id = "personal-number-on-file";
    numberHint.hidden = true;
    numberHint.textContent = numberField.getAttribute("data-on-file-text") || "";
    numberField.parentNode.appendChild(numberHint);
  }
  function fill() {
    var option = consultant.options[consultant.selectedIndex];
    Object.keys(targets).forEach(function (key) {
      var field = document.getElementById(targets[key]);
      if (!field) {
        return;
      }
      var value = option ? option.getAttribute("data-" + key) || "" : "";
      // overwrite only what is empty or what this script filled before
      if (field.value === "" || field.value === filled[key]) {
        field.value = value;
        filled[key] = value;
      }
    });
    if (numberHint) {
      numberHint.hidden = !(option && option.getAttribute("data-number-on-file"));
    }
  }
  consultant.addEventListener("change", fill);
  if (consultant.value) {
    fill();
  }
});
