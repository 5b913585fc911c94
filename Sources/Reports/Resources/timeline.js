(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('timeline-data').textContent);
  const { axisEnd, eventsPerColumn, laneHeight, barTop, barHeight, mergedKindOffset } = data;
  const STRIDE = 4; // first event, last event, kind, text
  const canvas = document.getElementById('canvas');
  const axis = document.getElementById('axis');
  const tip = document.getElementById('tip');
  const zoomLevel = document.getElementById('zoom-level');
  const rows = Array.from(document.querySelectorAll('#tracks .lane'));
  const labels = Array.from(document.querySelectorAll('#labels .label'));
  const symbols = data.markSymbols.map(path => new Path2D(path));
  const context = canvas.getContext('2d');
  const fills = data.spanColors.concat(data.spanColors.map((color, kind) => hatch(color, data.paleColors[kind])));

  // The visible window: events start ..< start + span.
  let start = 0, span = axisEnd;
  // The item under the pointer: { lane, list: 'spans' or 'marks', item: index into that list }.
  let hot = null;

  function hatch(color, pale) {
    const tile = document.createElement('canvas');
    tile.width = tile.height = 8;
    const tileContext = tile.getContext('2d');
    tileContext.fillStyle = pale;
    tileContext.fillRect(0, 0, 8, 8);
    tileContext.strokeStyle = color;
    tileContext.lineWidth = 3;
    tileContext.beginPath();
    for (const offset of [-8, 0, 8]) {
      tileContext.moveTo(offset - 1, 9);
      tileContext.lineTo(offset + 9, -1);
    }
    tileContext.stroke();
    return context.createPattern(tile, 'repeat');
  }

  // Room at both ends of the axis, so a symbol on the first or last event shows whole.
  const PAD = 8;
  const trackWidth = () => Math.max(1, canvas.clientWidth - 2 * PAD);
  // Zooming stops once an event (or, when spans were merged, a merged column) is a few pixels wide.
  const pixelsPerEventAtMostZoom = eventsPerColumn === 1 ? 24 : 6 / eventsPerColumn;
  const minimumSpan = () => Math.min(axisEnd, Math.max(4, trackWidth() / pixelsPerEventAtMostZoom));

  function setWindow(newStart, newSpan) {
    span = Math.max(minimumSpan(), Math.min(axisEnd, newSpan));
    start = Math.max(0, Math.min(axisEnd - span, newStart));
    const zoom = axisEnd / span;
    zoomLevel.textContent = (zoom < 10 ? zoom.toFixed(1) : Math.round(zoom)) + '×';
    // What the tooltip pointed at has moved.
    showTip(null);
    requestDraw();
  }

  function zoomAround(factor, clientX) {
    const box = canvas.getBoundingClientRect();
    const fraction = clientX === undefined ? 0.5 : Math.min(1, Math.max(0, (clientX - box.left - PAD) / trackWidth()));
    const anchor = start + fraction * span;
    const newSpan = Math.max(minimumSpan(), Math.min(axisEnd, span / factor));
    setWindow(anchor - fraction * newSpan, newSpan);
  }

  // Sizes a canvas's backing store to its CSS size on this screen and returns its context.
  function fit(target, width, height) {
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.max(1, Math.round(width * ratio)), pixelHeight = Math.max(1, Math.round(height * ratio));
    if (target.width !== pixelWidth || target.height !== pixelHeight) {
      target.width = pixelWidth;
      target.height = pixelHeight;
    }
    const targetContext = target.getContext('2d');
    targetContext.setTransform(ratio, 0, 0, ratio, 0, 0);
    return targetContext;
  }

  // The index of the first item that can reach `event`; items are sorted by first event.
  function firstReaching(items, event) {
    let low = 0, high = items.length / STRIDE;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (items[middle * STRIDE] < event) low = middle + 1; else high = middle;
    }
    // A merged run may start a little before the span it overlaps.
    return Math.max(0, low - 8);
  }

  function niceStep(raw) {
    const power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    return [1, 2, 5, 10].map(multiple => multiple * power).find(step => step >= raw);
  }

  function tickText(value) {
    if (value >= 1e6 && value % 1e5 === 0) return (value / 1e6) + 'M';
    if (value >= 1e4 && value % 1e3 === 0) return (value / 1e3) + 'k';
    return String(value);
  }

  function ticks(scale) {
    const step = niceStep(90 / scale), values = [];
    for (let value = Math.ceil(start / step) * step; value <= start + span; value += step) values.push(value);
    return values;
  }

  function markX(marks, i, scale) {
    return Math.round(PAD + ((marks[i] + marks[i + 1] + 1) / 2 - start) * scale);
  }

  function drawMark(marks, i, top, scale, highlighted) {
    const kind = marks[i + 2];
    context.save();
    context.translate(markX(marks, i, scale), top);
    context.strokeStyle = context.fillStyle = data.markColors[kind];
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(0, 10);
    context.lineTo(0, barTop + barHeight);
    context.stroke();
    context.fill(symbols[kind]);
    if (highlighted) {
      context.strokeStyle = '#000';
      context.stroke(symbols[kind]);
    }
    context.restore();
  }

  function drawAxis(scale) {
    const width = axis.clientWidth, height = axis.clientHeight;
    const axisContext = fit(axis, width, height);
    axisContext.clearRect(0, 0, width, height);
    axisContext.font = '11px system-ui, "DejaVu Sans", sans-serif';
    axisContext.fillStyle = '#495057';
    axisContext.strokeStyle = '#adb5bd';
    axisContext.textBaseline = 'alphabetic';
    for (const value of ticks(scale)) {
      const x = Math.round(PAD + (value - start) * scale) + 0.5;
      axisContext.beginPath();
      axisContext.moveTo(x, height - 9);
      axisContext.lineTo(x, height - 3);
      axisContext.stroke();
      axisContext.textAlign = x < 20 ? 'left' : x > width - 20 ? 'right' : 'center';
      axisContext.fillText(tickText(value), x, height - 12);
    }
    if (span < axisEnd) {
      // Where the window lies in the whole trace.
      axisContext.fillStyle = '#4c6ef5';
      axisContext.fillRect(PAD + start / axisEnd * trackWidth(), height - 3, Math.max(3, span / axisEnd * trackWidth()), 3);
    }
  }

  // Draws what is visible and returns how many spans and marks that was.
  function draw() {
    const width = canvas.clientWidth, height = rows.length * laneHeight;
    fit(canvas, width, height);
    context.clearRect(0, 0, width, height);
    const scale = trackWidth() / span, toX = event => PAD + (event - start) * scale;
    context.fillStyle = '#e9ecef';
    for (const value of ticks(scale)) context.fillRect(Math.round(toX(value)), 0, 1, height);
    let drawn = 0;
    data.lanes.forEach((lane, index) => {
      const top = index * laneHeight, spans = lane.spans, marks = lane.marks;
      for (let i = firstReaching(spans, start) * STRIDE; i < spans.length && spans[i] < start + span; i += STRIDE) {
        const left = toX(spans[i]), right = toX(spans[i + 1] + 1);
        if (right < 0) continue;
        context.fillStyle = fills[spans[i + 2]];
        context.fillRect(left, top + barTop, Math.max(1, right - left), barHeight);
        drawn++;
      }
      const margin = 8 / scale;
      for (let i = firstReaching(marks, start - margin) * STRIDE; i < marks.length && marks[i] < start + span + margin; i += STRIDE) {
        drawMark(marks, i, top, scale, false);
        drawn++;
      }
    });
    if (hot) {
      const items = data.lanes[hot.lane][hot.list], i = hot.item, top = hot.lane * laneHeight;
      if (hot.list === 'marks') {
        drawMark(items, i, top, scale, true);
      } else {
        const left = toX(items[i]), right = toX(items[i + 1] + 1);
        context.strokeStyle = '#000';
        context.lineWidth = 1.5;
        context.strokeRect(left, top + barTop, Math.max(1, right - left), barHeight);
      }
    }
    drawAxis(scale);
    return drawn;
  }

  let drawRequested = false;
  function requestDraw() {
    if (drawRequested) return;
    drawRequested = true;
    requestAnimationFrame(() => {
      drawRequested = false;
      draw();
    });
  }

  // The item nearest to `event` within `slack` events, or -1. One containing the event
  // wins, and a single span beats a merged one that overlaps it.
  function nearest(items, event, slack, isSpans) {
    let low = 0, high = items.length / STRIDE;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (items[middle * STRIDE] <= event + slack) low = middle + 1; else high = middle;
    }
    let best = -1, bestScore = Infinity;
    for (let item = Math.max(0, low - 8); item < low; item++) {
      const i = item * STRIDE;
      const distance = Math.max(0, items[i] - event, event - items[i + 1] - 1);
      const score = distance + (isSpans && items[i + 2] >= mergedKindOffset ? 0.5 : 0);
      if (distance <= slack && score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }

  function line(className, text) {
    const div = document.createElement('div');
    div.className = className;
    div.textContent = text;
    return div;
  }

  function showTip(found, clientX, clientY) {
    const same = found && hot && found.lane === hot.lane && found.list === hot.list && found.item === hot.item;
    if (!found) {
      tip.hidden = true;
      if (hot) requestDraw();
      hot = null;
      return;
    }
    if (!same) {
      hot = found;
      const items = data.lanes[found.lane][found.list], first = items[found.item], last = items[found.item + 1];
      const number = value => value.toLocaleString('en-US');
      const range = first === last ? 'event ' + number(first)
        : 'events ' + number(first) + '–' + number(last) + ' (' + number(last - first + 1) + ' events)';
      tip.replaceChildren(line('lane-name', labels[found.lane].textContent), line('range', range),
        line('text', data.texts[items[found.item + 3]]));
      tip.hidden = false;
      requestDraw();
    }
    const x = clientX + 16 + tip.offsetWidth > window.innerWidth - 8 ? clientX - 16 - tip.offsetWidth : clientX + 16;
    const y = clientY + 18 + tip.offsetHeight > window.innerHeight - 8 ? clientY - 12 - tip.offsetHeight : clientY + 18;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }

  function hover(clientX, clientY) {
    const box = canvas.getBoundingClientRect();
    const y = clientY - box.top, laneIndex = Math.floor(y / laneHeight);
    if (laneIndex < 0 || laneIndex >= data.lanes.length) return showTip(null);
    const eventsPerPixel = span / trackWidth(), at = start + (clientX - box.left - PAD) * eventsPerPixel;
    const lane = data.lanes[laneIndex];
    const order = y - laneIndex * laneHeight < barTop ? [['marks', 6], ['spans', 3]] : [['spans', 3], ['marks', 4]];
    for (const [list, slackPixels] of order) {
      const item = nearest(lane[list], at, slackPixels * eventsPerPixel, list === 'spans');
      if (item >= 0) return showTip({ lane: laneIndex, list, item }, clientX, clientY);
    }
    showTip(null);
  }

  let drag = null;
  canvas.addEventListener('pointerdown', event => {
    drag = { x: event.clientX, start };
    canvas.setPointerCapture(event.pointerId);
    canvas.classList.add('dragging');
    showTip(null);
  });
  canvas.addEventListener('pointermove', event => {
    if (drag) setWindow(drag.start - (event.clientX - drag.x) / trackWidth() * span, span);
    else hover(event.clientX, event.clientY);
  });
  const endDrag = () => {
    drag = null;
    canvas.classList.remove('dragging');
  };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', () => { if (!drag) showTip(null); });
  canvas.addEventListener('wheel', event => {
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      zoomAround(Math.pow(1.002, -event.deltaY), event.clientX);
    } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      event.preventDefault();
      setWindow(start + (event.shiftKey ? event.deltaY : event.deltaX) / trackWidth() * span, span);
    }
  }, { passive: false });
  document.getElementById('zoom-in').addEventListener('click', () => zoomAround(2));
  document.getElementById('zoom-out').addEventListener('click', () => zoomAround(0.5));
  document.getElementById('zoom-fit').addEventListener('click', () => setWindow(0, axisEnd));
  document.addEventListener('keydown', event => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === '+' || event.key === '=') zoomAround(2);
    else if (event.key === '-') zoomAround(0.5);
    else if (event.key === '0') setWindow(0, axisEnd);
    else if (event.key === 'ArrowLeft') setWindow(start - span / 5, span);
    else if (event.key === 'ArrowRight') setWindow(start + span / 5, span);
  });
  window.addEventListener('resize', () => setWindow(start, span));

  const drawn = draw();
  const canvasBox = canvas.getBoundingClientRect();
  document.body.dataset.itemsDrawn = drawn;
  document.body.dataset.lanesRendered = rows.filter((row, index) => {
    const box = row.getBoundingClientRect(), label = labels[index].getBoundingClientRect();
    return box.width > 0 && box.height > 0 && label.width > 0 && label.height > 0
      && box.top >= canvasBox.top - 0.5 && box.bottom <= canvasBox.bottom + 0.5 && canvasBox.width > 0;
  }).length;
})();
