// Buttons marked data-print-page open the browser's print dialog (the print stylesheet does the rest).
document.querySelectorAll("[data-print-page]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
