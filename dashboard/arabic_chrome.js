/* Streamlit's own widget words in Arabic, for the Arabic interface (lang=ar in the link).
 *
 * Streamlit has no language setting for the words its widgets draw themselves ("Upload",
 * "Press Enter to apply", "Help for …", the calendar, the dataframe toolbar). This fixed
 * script puts known ones into Arabic in the page: static_assets.write_chrome_script copies
 * it under static/ with the table of strings.CHROME_AR in place of CHROME below, and the
 * sidebar loads it on Arabic pages only.
 *
 * Only strings of that table change, only inside the elements its data-testid selectors
 * name, and only through nodeValue and setAttribute: nothing is ever parsed as HTML, so
 * the data a widget shows (a file name, an option, a label) can only be copied as text.
 * Everything changed is remembered and put back if the link stops saying lang=ar (the
 * language switch), since React does not redraw a word that did not change for it.
 */
(function () {
  "use strict";
  var CHROME = null; /* the table: written here by static_assets.write_chrome_script */
  if (!CHROME || window.__dashboardArabicChrome) {
    if (window.__dashboardArabicChrome) window.__dashboardArabicChrome.schedule();
    return;
  }

  var months = CHROME.months;
  var weekdays = CHROME.weekdays;
  var ALT = function (table) {
    return Object.keys(table)
      .map(function (k) {
        return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("|");
  };
  var MONTH = ALT(months);
  var WEEKDAY = ALT(weekdays);
  var SLOTS = {
    x: "(.+?)",
    n: "([0-9][0-9.,]*)",
    month: "(" + MONTH + ")",
    weekday: "(" + WEEKDAY + ")",
    date: "((?:" + MONTH + ") [0-9]{1,2}, [0-9]{4})",
  };
  var SLOT = /\{(x|n|month|weekday|date)\}/g;

  function arabicDate(text) {
    var m = /^(\S+) ([0-9]{1,2}), ([0-9]{4})$/.exec(text);
    return m ? m[2] + " " + months[m[1]] + " " + m[3] : text;
  }
  var FILL = {
    x: function (v) { return v; },
    n: function (v) { return v; },
    month: function (v) { return months[v] || v; },
    weekday: function (v) { return weekdays[v] || v; },
    date: arabicDate,
  };

  // One compiled rule per English string: a regular expression and the Arabic template.
  function compile(english, arabic) {
    var kinds = [];
    var source = "";
    var last = 0;
    english.replace(SLOT, function (whole, kind, at) {
      source += english.slice(last, at).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + SLOTS[kind];
      kinds.push(kind);
      last = at + whole.length;
      return whole;
    });
    source += english.slice(last).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return { re: new RegExp("^" + source + "$"), kinds: kinds, arabic: arabic };
  }

  function translate(rules, value) {
    var trimmed = value.trim();
    if (!trimmed) return null;
    for (var i = 0; i < rules.length; i++) {
      var m = rules[i].re.exec(trimmed);
      if (!m) continue;
      var k = 0;
      var kinds = rules[i].kinds;
      var out = rules[i].arabic.replace(SLOT, function () {
        k += 1;
        return FILL[kinds[k - 1]](m[k]);
      });
      var lead = value.slice(0, value.indexOf(trimmed));
      var tail = value.slice(value.indexOf(trimmed) + trimmed.length);
      return lead + out + tail;
    }
    return null;
  }

  var groups = CHROME.rules.map(function (group) {
    var where = {};
    Object.keys(group[1]).forEach(function (target) {
      var table = group[1][target];
      where[target] = Object.keys(table).map(function (en) {
        return compile(en, table[en]);
      });
    });
    return { selector: group[0], where: where };
  });

  // node -> {key: [original, arabic]}, key "#text" or an attribute name.
  var changed = new Map();

  function remember(node, key, original, arabic) {
    var record = changed.get(node);
    if (!record) {
      record = {};
      changed.set(node, record);
    }
    record[key] = [original, arabic];
  }

  function originalOf(node, key, current) {
    var record = changed.get(node);
    return record && record[key] && record[key][1] === current ? record[key][0] : current;
  }

  function setText(node, value) {
    if (node.nodeValue !== value) node.nodeValue = value;
  }

  function applyGroup(group) {
    var elements;
    try {
      elements = document.querySelectorAll(group.selector);
    } catch (e) {
      return;
    }
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      for (var target in group.where) {
        var rules = group.where[target];
        if (target === "text") {
          for (var c = el.firstChild; c; c = c.nextSibling) {
            if (c.nodeType !== 3) continue;
            var text = translate(rules, c.nodeValue);
            if (text !== null && text !== c.nodeValue) {
              remember(c, "#text", c.nodeValue, text);
              setText(c, text);
            }
          }
        } else if (el.hasAttribute(target)) {
          var value = el.getAttribute(target);
          var attr = translate(rules, value);
          if (attr !== null && attr !== value) {
            remember(el, target, value, attr);
            el.setAttribute(target, attr);
          }
        }
      }
    }
  }

  // The calendar's weekday initials: "S M T W T F S" says nothing on its own (two S, two
  // T), so each column takes the weekday of a day under it.
  function weekdayHeaders() {
    var heads = document.querySelectorAll(CHROME.weekday_headers);
    var pattern = new RegExp("(?:^|, )(" + WEEKDAY + "), ");
    for (var i = 0; i < heads.length; i++) {
      var th = heads[i];
      var table = th.closest("table");
      if (!table || !table.tBodies.length) continue;
      var column = th.cellIndex;
      var name = null;
      var rows = table.tBodies[0].rows;
      for (var r = 0; r < rows.length && !name; r++) {
        var cell = rows[r].cells[column];
        var day = cell && cell.querySelector("[aria-label]");
        if (!day) continue;
        var label = originalOf(day, "aria-label", day.getAttribute("aria-label"));
        var m = pattern.exec(label);
        if (m) name = m[1];
      }
      var short = name && CHROME.weekday_initials[name];
      if (!short) continue;
      for (var c = th.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3 && c.nodeValue.trim() && c.nodeValue !== short) {
          remember(c, "#text", c.nodeValue, short);
          setText(c, short);
        }
      }
    }
  }

  function restore() {
    changed.forEach(function (record, node) {
      for (var key in record) {
        var pair = record[key];
        if (key === "#text") {
          if (node.nodeValue === pair[1]) node.nodeValue = pair[0];
        } else if (node.getAttribute(key) === pair[1]) {
          node.setAttribute(key, pair[0]);
        }
      }
    });
    changed.clear();
  }

  // Arabic while the app's tag for this script is on the page (it is drawn on Arabic
  // pages only) or the link says lang=ar: the tag settles with the page, the link stays
  // the same from one Arabic page to the next, so neither a first load nor a page change
  // shows the English words in between.
  function arabic() {
    return (
      document.querySelector("script[data-dashboard-chrome]") !== null ||
      new URLSearchParams(window.location.search).get("lang") === "ar"
    );
  }

  var observer = null;
  var pending = false;
  var wasArabic = false;

  function pass() {
    pending = false;
    var now = arabic();
    if (now) {
      groups.forEach(applyGroup);
      weekdayHeaders();
      changed.forEach(function (_record, node) {
        if (!node.isConnected) changed.delete(node);
      });
    } else if (wasArabic) {
      restore();
    }
    wasArabic = now;
    var state = now ? "ar" : "off";
    if (document.documentElement.getAttribute("data-dashboard-chrome") !== state) {
      document.documentElement.setAttribute("data-dashboard-chrome", state);
    }
    if (observer) observer.takeRecords(); // our own changes need no second pass
  }

  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(pass);
  }

  observer = new MutationObserver(schedule);
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: CHROME.attributes,
  });
  // The language switch rewrites the link after the page has changed: look again now and then.
  window.setInterval(function () {
    if (arabic() !== wasArabic) schedule();
  }, 500);
  window.__dashboardArabicChrome = { schedule: schedule };
  pass();
})();
