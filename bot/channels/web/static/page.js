// Procedure pages (/p/<id>): the print view's "Print" button.
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
}());
