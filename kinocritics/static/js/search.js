/* Header search: as-you-type suggestions (ARIA 1.2 combobox with a listbox popup).
   Without this script the form simply submits to /search/, which lists the same matches. */
(function () {
  "use strict";
  var form = document.querySelector(".site-search[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector('[role="combobox"]');
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = form.querySelector("[data-suggest-status]");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var controller = null;
  var active = -1;
  var items = [];
  var lastQuery = "";

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(data) {
    list.innerHTML = "";
    items = [];
    active = -1;
    (data.results || []).forEach(function (result, i) {
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.url = result.url;
      var title = document.createElement("span");
      title.className = "site-search__title";
      title.textContent = result.title;
      var meta = document.createElement("span");
      meta.className = "site-search__meta";
      meta.textContent = result.kind_label + (result.subtitle ? " · " + result.subtitle : "");
      li.appendChild(title);
      li.appendChild(meta);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the input until we navigate
        window.location.href = result.url;
      });
      list.appendChild(li);
      items.push(li);
    });
    var n = items.length;
    if (n) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    if (status) {
      status.textContent = n ? n + (n === 1 ? " suggestion" : " suggestions") : "No suggestions";
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < 2) {
      close();
      return;
    }
    if (controller) controller.abort();
    controller = typeof AbortController === "function" ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (data.query === undefined || input.value.trim() === query) render(data);
      })
      .catch(function () {
        /* aborted or offline: the form still submits to the search page */
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      if (list.hidden) {
        lastQuery = "";
        fetchSuggestions();
        return;
      }
      event.preventDefault();
      highlight(active + 1 >= items.length ? 0 : active + 1);
    } else if (event.key === "ArrowUp" && !list.hidden) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].dataset.url;
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      } else {
        input.value = "";
        lastQuery = "";
      }
    }
  });

  input.addEventListener("blur", function () {
    setTimeout(close, 100);
  });
})();
