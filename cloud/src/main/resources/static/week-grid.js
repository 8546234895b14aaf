// The week grid as a WAI-ARIA grid (docs/resident-pages.md): one Tab stop into the table, then arrow
// keys between cells, Page Up / Page Down by an hour (four rows), Home / End to the first and last day
// of the row, Ctrl+Home / Ctrl+End to the first and last cell, Enter follows a cell's link. Without
// this script every free or booked cell is a link in the tab order, as before.
(function () {
  var table = document.querySelector('table[data-week-grid]');
  if (!table) {
    return;
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  if (!rows.length) {
    return;
  }
  table.setAttribute('role', 'grid');
  // Each data cell's focus target: its link when it has one, else the cell itself.
  var cells = rows.map(function (row) {
    return Array.prototype.slice.call(row.cells, 1).map(function (cell) {
      var link = cell.querySelector('a');
      var target = link || cell;
      target.setAttribute('tabindex', '-1');
      return target;
    });
  });
  var at = { row: 0, col: 0 };
  // Start on the earliest free cell (day by day), so the first Tab into the table lands where booking starts.
  outer:
  for (var c = 0; c < cells[0].length; c++) {
    for (var r = 0; r < cells.length; r++) {
      if (cells[r][c].tagName === 'A' && cells[r][c].parentNode.className === 'free') {
        at = { row: r, col: c };
        break outer;
      }
    }
  }
  cells[at.row][at.col].setAttribute('tabindex', '0');

  function move(row, col) {
    row = Math.max(0, Math.min(cells.length - 1, row));
    col = Math.max(0, Math.min(cells[row].length - 1, col));
    cells[at.row][at.col].setAttribute('tabindex', '-1');
    at = { row: row, col: col };
    var target = cells[row][col];
    target.setAttribute('tabindex', '0');
    target.focus();
  }

  function locate(element) {
    for (var r = 0; r < cells.length; r++) {
      var c = cells[r].indexOf(element);
      if (c >= 0) {
        return { row: r, col: c };
      }
    }
    return null;
  }

  table.addEventListener('focusin', function (event) {
    var found = locate(event.target);
    if (found && (found.row !== at.row || found.col !== at.col)) {
      cells[at.row][at.col].setAttribute('tabindex', '-1');
      at = found;
      event.target.setAttribute('tabindex', '0');
    }
  });

  table.addEventListener('keydown', function (event) {
    if (!locate(event.target) || event.altKey || event.metaKey) {
      return;
    }
    var ctrl = event.ctrlKey;
    switch (event.key) {
      case 'ArrowRight': move(at.row, at.col + 1); break;
      case 'ArrowLeft': move(at.row, at.col - 1); break;
      case 'ArrowDown': move(at.row + 1, at.col); break;
      case 'ArrowUp': move(at.row - 1, at.col); break;
      case 'PageDown': move(at.row + 4, at.col); break;
      case 'PageUp': move(at.row - 4, at.col); break;
      case 'Home': move(ctrl ? 0 : at.row, 0); break;
      case 'End': move(ctrl ? cells.length - 1 : at.row, cells[at.row].length - 1); break;
      default: return;
    }
    event.preventDefault();
  });
})();
