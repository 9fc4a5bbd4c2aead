/* 当日の受付: read a registration's QR code with the device's camera (getUserMedia), find the
   code in each frame with jsQR (vendored beside this file), and look the reference up as if it
   had been typed. Without a camera (or permission), the page works by typing alone.
   After a check-in the camera starts again by itself, so the door keeps scanning. */
(function () {
  "use strict";
  var form = document.getElementById("lookup");
  var input = document.getElementById("f-reference");
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var door = document.getElementById("door");
  var KEY = "tosei-check-in-camera";
  if (!form || !start) return;
  var usable = window.isSecureContext && navigator.mediaDevices &&
    navigator.mediaDevices.getUserMedia && typeof window.jsQR === "function";
  if (!usable) {
    status.textContent = "この端末ではカメラを使えません。受付番号を入力してください。";
    return;
  }
  start.hidden = false;
  var stream = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  function remember(on) {
    try {
      if (on) { sessionStorage.setItem(KEY, "on"); } else { sessionStorage.removeItem(KEY); }
    } catch (e) { /* private mode: the camera just does not restart by itself */ }
  }

  function remembered() {
    try { return sessionStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function begin() {
    status.textContent = "カメラを起動しています…";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        remember(true);
        return video.play();
      })
      .then(function () {
        status.textContent = "QRコードをカメラに向けてください。";
        window.requestAnimationFrame(look);
      })
      .catch(function (error) {
        end(true);
        status.textContent = "カメラを使えませんでした（" + error.name + "）。受付番号を入力してください。";
      });
  }

  function look() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      // Large frames are scaled down: a code fills much of the picture at the door anyway.
      var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
      var w = Math.round(video.videoWidth * scale);
      var h = Math.round(video.videoHeight * scale);
      canvas.width = w;
      canvas.height = h;
      context.drawImage(video, 0, 0, w, h);
      var code = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, {
        inversionAttempts: "dontInvert"
      });
      if (code && code.data) {
        found(code.data);
        return;
      }
    }
    window.requestAnimationFrame(look);
  }

  function found(text) {
    input.value = text.trim();
    status.textContent = "読み取りました：" + input.value;
    end(false);
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function end(forget) {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    if (forget) remember(false);
  }

  start.addEventListener("click", begin);
  stop.addEventListener("click", function () {
    end(true);
    status.textContent = "カメラを止めました。";
  });
  if (remembered() && door && door.dataset.resume === "yes") begin();
})();
