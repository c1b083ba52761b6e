// The need form: once a profession is chosen, the competence list shows only that profession's
// competences (the list's groups are named after the professions). Without this script every group
// stays, and the server still refuses a competence of another profession.
document.addEventListener("DOMContentLoaded", function () {
  var profession = document.getElementById("id_profession");
  var competence = document.getElementById("id_competence");
  if (!profession || !competence) {
    return;
  }
  function filter() {
    var chosen = profession.selectedIndex > 0 ? profession.options[profession.selectedIndex].text : "";
    var groups = competence.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var other = chosen !== "" && groups[i].label !== chosen;
      groups[i].hidden = other;
      groups[i].disabled = other;
    }
    var selected = competence.options[competence.selectedIndex];
    if (selected && selected.parentNode.disabled) {
      competence.value = "";
    }
  }
  profession.addEventListener("change", filter);
  filter();
});
