/* dl-foundations-validate: nbgrader's Validate button says what it checked.
 *
 * nbgrader's JupyterLab extension ends a passing validation with "Success! Your notebook passes all the
 * tests."  A student version holds the visible checks only (nbgrader removes the hidden tests, which run
 * when the work is graded), so in this course that sentence claims more than was checked.  This plugin
 * puts the true sentence in its place as the dialog appears; nbgrader's other results are left as they are.
 * The sentence is in the language of the notebook validated: Korean for the Korean edition's notebooks
 * (their `language_edition` metadata, written by tools/korean.py), English for every other.
 *
 * Written by hand, with no build step: a module-federation container as JupyterLab loads one (`init`,
 * then `get("./extension")`), sharing no module.  tests/test_validate_message.py checks that nbgrader's
 * shipped extension still shows NBGRADER_SUCCESS in a `.validation-success` box, and tests/test_browser.py
 * clicks Validate in `course.py lab --instructor` and reads MESSAGE (MESSAGE_KO on a Korean notebook).
 */
(function () {
  "use strict";

  var NBGRADER_SUCCESS = "Success! Your notebook passes all the tests.";
  var MESSAGE = "All visible checks pass; the hidden tests run when your work is graded.";
  var MESSAGE_KO = "눈에 보이는 확인을 모두 통과했습니다. 비공개 테스트는 과제를 채점할 때 실행됩니다.";

  /** The sentence for the notebook in front (the one Validate was clicked on): Korean for the Korean edition. */
  function messageFor(app) {
    var panel = app.shell.currentWidget;
    var model = panel && panel.model;
    var edition = model && typeof model.getMetadata === "function" ? model.getMetadata("language_edition") : null;
    return edition && edition.language === "ko" ? MESSAGE_KO : MESSAGE;
  }

  /** Reword nbgrader's success sentence wherever it sits in or under `node`. */
  function reword(node, message) {
    node.querySelectorAll(".validation-success p").forEach(function (paragraph) {
      if (paragraph.textContent.trim() === NBGRADER_SUCCESS) {
        paragraph.textContent = message;
      }
    });
  }

  var plugin = {
    id: "dl-foundations-validate:message",
    description: "Rewords nbgrader's Validate success message to what it checked.",
    autoStart: true,
    activate: function (app) {
      new MutationObserver(function (records) {
        records.forEach(function (record) {
          record.addedNodes.forEach(function (node) {
            if (node.nodeType === Node.ELEMENT_NODE) {
              reword(node, messageFor(app));
            }
          });
        });
      }).observe(document.body, { childList: true });   // dialogs are attached to the body itself
    }
  };

  var modules = {
    "./extension": function () {
      return { __esModule: true, default: plugin };
    }
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB["dl-foundations-validate"] = {
    init: function () {
      return Promise.resolve();
    },
    get: function (name) {
      return name in modules ? Promise.resolve(modules[name]) : Promise.reject(new Error("no module " + name));
    }
  };
})();
