// Buttons marked data-print-page open the browser's print dialog.
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
