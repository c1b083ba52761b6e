// The main menu on a narrow screen: a "Menu" button shows and hides the menu, the user and the
// language form (hyrkoll.css hides #site-menu while the button says aria-expanded="false", only
// below 48rem and only with <html class="js">). Without JavaScript the class is never set: the
// button stays hidden and the menu is always shown. Loaded without defer so that the class is set
// before the first paint; the button is wired once the page is parsed.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 48rem)");

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });
  // Escape, from the button or inside the open menu on a narrow screen, closes the menu and gives
  // the focus back to the button.
  document.addEventListener("keydown", function (event) {
    var inside = event.target === button || menu.contains(event.target);
    if (event.key === "Escape" && inside && narrow.matches && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });
  // From wide to narrow (a turned tablet, a zoomed page): start closed again.
  narrow.addEventListener("change", function () {
    setOpen(!narrow.matches);
  });
  setOpen(!narrow.matches);
});
