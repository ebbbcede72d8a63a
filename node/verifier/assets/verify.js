// Camera QR scanning where the browser has BarcodeDetector: the page works without it (upload
// a photo of the code instead). The code's text fills the address or the pasted-text form,
// which is then submitted.
(function () {
  "use strict";
  var box = document.getElementById("camera");
  if (!box) { return; }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var start = document.getElementById("camera-start");
  var stop = document.getElementById("camera-stop");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var stream = null, timer = null, detector = null;
  box.hidden = false;

  function halt() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true; stop.hidden = true; start.hidden = false;
  }

  function submit(text) {
    halt();
    status.textContent = box.dataset.found;
    if (/^https?:\/\//i.test(text)) {
      document.getElementById("url").value = text;
      document.getElementById("form-url").submit();
    } else {
      document.getElementById("text").value = text;
      document.getElementById("form-text").submit();
    }
  }

  function scan() {
    detector.detect(video).then(function (codes) {
      if (codes.length > 0 && codes[0].rawValue) { submit(codes[0].rawValue); return; }
      timer = setTimeout(scan, 250);
    }).catch(function () { timer = setTimeout(scan, 500); });
  }

  start.addEventListener("click", function () {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { status.textContent = box.dataset.unavailable; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; stop.hidden = false; start.hidden = true;
      return video.play();
    }).then(scan).catch(function () { halt(); status.textContent = box.dataset.unavailable; });
  });
  stop.addEventListener("click", halt);
}());
