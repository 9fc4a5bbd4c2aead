// On a phone the menu is one row that scrolls sideways: bring the current screen's entry into view.
document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector('header.site nav a[aria-current="page"]');
  const row = current && current.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
  }
});
