// The job page: asks the server where the job is once a second until it has finished.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function show(job) {
    part("status").textContent = job.status_label;
    part("status").className = "badge job-" + job.status;
    part("count").textContent = job.total !== null ? job.done + " of " + job.total : (job.done ? String(job.done) : "");
    var bar = part("progress");
    if (job.percent === null) { bar.removeAttribute("value"); } else { bar.value = job.percent; bar.textContent = job.percent + "%"; }
    var error = part("error");
    error.textContent = job.error;
    error.hidden = !job.error;
    var result = part("result");
    result.replaceChildren();
    Object.keys(job.result || {}).forEach(function (label) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = label;
      dd.textContent = String(job.result[label]);
      result.append(dt, dd);
    });
    var download = part("download");
    if (job.download_url) { download.querySelector("a") || download.append(document.createElement("a")); }
    download.hidden = !job.download_url;
    if (job.download_url) { var link = download.querySelector("a"); link.href = job.download_url; link.className = "btn"; if (!link.textContent) link.textContent = "Download the result"; }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) { show(job); if (!job.finished) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
