// PhotoMaker web page: submits one job as multipart/form-data to /v1/jobs, follows it on its event
// stream (read with fetch, since EventSource cannot send an Authorization header), falls back to polling,
// and shows the outputs through object URLs.
'use strict';

(() => {
  const KEY_STORAGE = 'photomaker.apiKey';
  const TRIGGER = 'img';
  const MAX_PHOTOS = 8;
  const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'expired']);
  const CLASS_WORDS = new Set(['man', 'woman', 'boy', 'girl', 'person', 'child', 'kid', 'baby', 'lady',
    'gentleman', 'guy', 'male', 'female', 'teenager', 'adult', 'men', 'women', 'people', 'boys', 'girls']);
  // Words as the CLIP tokenizer splits them: contractions, letter runs, single digits, other symbols.
  const WORD = /'s|'t|'re|'ve|'m|'ll|'d|[\p{L}\p{M}]+|\p{N}|[^\s\p{L}\p{M}\p{N}]+/gu;

  const $ = (id) => document.getElementById(id);
  let previewUrls = [];
  let resultUrls = [];
  let watching = null;

  // ---- API helpers -------------------------------------------------------------------------------

  function authHeaders() {
    const key = $('api-key').value.trim();
    return key ? { Authorization: 'Bearer ' + key } : {};
  }

  async function readBody(resp) {
    const text = await resp.text();
    try {
      return JSON.parse(text);
    } catch (e) {
      return { error: { type: 'http_' + resp.status, message: text || resp.statusText || 'no answer' } };
    }
  }

  function errorText(body, status) {
    const e = body && body.error;
    if (e && e.type) {
      return e.type + ': ' + (e.message || '');
    }
    return 'http_' + status + ': unexpected answer from the gateway';
  }

  function showError(text) {
    const el = $('error');
    el.textContent = text;
    el.hidden = false;
  }

  function clearError() {
    const el = $('error');
    el.textContent = '';
    el.hidden = true;
  }

  const pause = (ms, signal) => new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    }, { once: true });
  });

  // ---- Prompt help -------------------------------------------------------------------------------

  function words(text) {
    return (text || '').toLowerCase().match(WORD) || [];
  }

  /** The live hint for the prompt: [level, text], level one of ok, note, warn, or '' for none. */
  function promptHint(prompt) {
    if (!prompt.trim()) {
      return ['', ''];
    }
    const w = words(prompt);
    const at = [];
    w.forEach((word, i) => { if (word === TRIGGER) { at.push(i); } });
    if (at.length === 0) {
      return ['warn', 'Add the trigger word "img" right after a class word, e.g. "a photo of a woman img".'];
    }
    if (at.length > 1) {
      return ['warn', 'Use "img" exactly once; it appears ' + at.length + ' times.'];
    }
    const i = at[0];
    const before = i > 0 ? w[i - 1] : null;
    if (!before || !/^[\p{L}\p{N}]/u.test(before)) {
      return ['warn', '"img" must come right after a class word such as woman or man, not '
        + (before ? 'after "' + before + '".' : 'at the start.')];
    }
    if (!CLASS_WORDS.has(before)) {
      return ['note', '"img" follows "' + before + '": that word should name the person (woman, man, girl, boy, person…).'];
    }
    return ['ok', 'Trigger word in place: "' + before + ' img".'];
  }

  function updateHints() {
    const [level, text] = promptHint($('prompt').value);
    const hint = $('prompt-hint');
    hint.dataset.level = level;
    hint.textContent = text;
    const negative = $('negative-hint');
    const bad = words($('negative-prompt').value).includes(TRIGGER);
    negative.dataset.level = bad ? 'warn' : '';
    negative.textContent = bad ? 'The negative prompt must not contain "img".' : '';
  }

  // ---- Photos ------------------------------------------------------------------------------------

  function showPreviews() {
    previewUrls.forEach((u) => URL.revokeObjectURL(u));
    previewUrls = [];
    const list = $('previews');
    list.replaceChildren();
    const files = Array.from($('photos').files);
    files.forEach((file, i) => {
      const url = URL.createObjectURL(file);
      previewUrls.push(url);
      const img = document.createElement('img');
      img.src = url;
      img.alt = 'Photo ' + (i + 1) + ': ' + file.name;
      const item = document.createElement('li');
      item.append(img);
      list.append(item);
    });
    const help = $('photos-help');
    if (files.length > MAX_PHOTOS) {
      help.textContent = files.length + ' photos chosen; a job takes at most ' + MAX_PHOTOS + '.';
    } else if (files.length > 0) {
      help.textContent = files.length + (files.length === 1 ? ' photo' : ' photos') + ' chosen.';
    }
  }

  // ---- Submitting --------------------------------------------------------------------------------

  function numberOf(id) {
    const raw = $(id).value.trim();
    return raw === '' ? undefined : Number(raw);
  }

  function jobRequest() {
    const [width, height] = $('size').value.split('x').map(Number);
    const request = {
      prompt: $('prompt').value,
      style: $('style').value,
      width,
      height,
      num_steps: numberOf('steps'),
      guidance_scale: numberOf('guidance'),
      style_strength: numberOf('style-strength'),
      seed: numberOf('seed'),
      num_outputs: numberOf('num-outputs'),
    };
    // always sent: the box starts with the default negative prompt, and an emptied box means none
    request.negative_prompt = $('negative-prompt').value;
    if ($('model').value) {
      request.model = $('model').value;
    }
    const minSimilarity = numberOf('min-similarity');
    if (minSimilarity !== undefined) {
      request.min_identity_similarity = minSimilarity;
      request.max_regenerations = numberOf('regenerations') || 0;
    }
    return request;
  }

  async function submit(event) {
    event.preventDefault();
    if (watching) {
      watching.abort();
      watching = null;
    }
    clearError();
    clearResults();
    const form = new FormData();
    form.append('request', JSON.stringify(jobRequest()));
    for (const file of $('photos').files) {
      form.append('images', file, file.name);
    }
    const button = $('submit');
    button.disabled = true;
    try {
      const resp = await fetch('/v1/jobs', { method: 'POST', headers: authHeaders(), body: form });
      const body = await readBody(resp);
      if (!resp.ok) {
        showError(errorText(body, resp.status));
        return;
      }
      startWatching(body);
    } catch (e) {
      showError('network_error: the gateway could not be reached (' + e.message + ')');
    } finally {
      button.disabled = false;
    }
  }

  // ---- Following a job ---------------------------------------------------------------------------

  function startWatching(job) {
    $('job').hidden = false;
    $('job-id').textContent = job.id;
    delete $('job').dataset.watch;
    const progress = $('progress');
    progress.max = 1;
    progress.value = 0;
    $('progress-text').textContent = '';
    showState({ id: job.id, status: job.status });
    const controller = new AbortController();
    watching = controller;
    follow(job.id, controller.signal).catch((e) => {
      if (e.name !== 'AbortError') {
        showError('network_error: lost track of job ' + job.id + ' (' + e.message + ')');
      }
    });
  }

  async function follow(id, signal) {
    let finished = false;
    try {
      finished = await stream(id, signal);
    } catch (e) {
      if (signal.aborted) {
        throw e;
      }
    }
    if (!finished) {
      await poll(id, signal);
    }
  }

  /** Reads GET /v1/jobs/{id}/events; true once a final event was handled, false to fall back to polling. */
  async function stream(id, signal) {
    const resp = await fetch('/v1/jobs/' + encodeURIComponent(id) + '/events', {
      headers: { ...authHeaders(), Accept: 'text/event-stream' }, signal, cache: 'no-store',
    });
    if (!resp.ok || !resp.body) {
      return false;
    }
    $('job').dataset.watch = 'stream';
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let name = 'message';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return false;
      }
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length > 0 && onEvent(id, name, data.join('\n'))) {
            reader.cancel().catch(() => {});
            return true;
          }
          name = 'message';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') {
            name = text;
          } else if (field === 'data') {
            data.push(text);
          }
        }
      }
    }
  }

  /** Handles one event of the stream; true when the job is finished. */
  function onEvent(id, name, text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return false;
    }
    const status = data.status || name;
    showState({ id, status, step: data.step, total: data.total, error: data.error, outputs: data.outputs });
    return TERMINAL.has(status);
  }

  async function poll(id, signal) {
    $('job').dataset.watch = 'poll';
    for (;;) {
      const resp = await fetch('/v1/jobs/' + encodeURIComponent(id), { headers: authHeaders(), signal, cache: 'no-store' });
      const body = await readBody(resp);
      if (!resp.ok) {
        showError(errorText(body, resp.status));
        return;
      }
      showState({
        id, status: body.status, step: body.progress && body.progress.step, total: body.progress && body.progress.total,
        error: body.error, outputs: (body.outputs || []).map((o) => o.url),
        similarities: (body.outputs || []).map((o) => o.identity_similarity),
      });
      if (TERMINAL.has(body.status)) {
        return;
      }
      await pause(1000, signal);
    }
  }

  function showState(state) {
    const status = $('status');
    status.textContent = state.status;
    status.dataset.status = state.status;
    const progress = $('progress');
    if (state.total > 0) {
      progress.max = state.total;
      progress.value = Math.min(state.step || 0, state.total);
      $('progress-text').textContent = 'Step ' + (state.step || 0) + ' of ' + state.total;
    }
    if (state.status === 'succeeded') {
      progress.value = progress.max;
      $('progress-text').textContent = 'Done';
      showResults(state.id, state.outputs || [], state.similarities || []);
    } else if (TERMINAL.has(state.status)) {
      showError(state.error ? errorText({ error: state.error }) : state.status + ': the job ended without results');
    }
  }

  // ---- Results -----------------------------------------------------------------------------------

  function clearResults() {
    resultUrls.forEach((u) => URL.revokeObjectURL(u));
    resultUrls = [];
    $('result-list').replaceChildren();
    $('results').hidden = true;
  }

  async function showResults(id, urls, similarities) {
    clearResults();
    $('results').hidden = urls.length === 0;
    for (let n = 0; n < urls.length; n++) {
      try {
        // The gateway answers with a short-lived redirect to the object store; fetch follows it.
        const resp = await fetch(urls[n], { headers: authHeaders(), cache: 'no-store' });
        if (!resp.ok) {
          showError(errorText(await readBody(resp), resp.status));
          continue;
        }
        addResult(id, n, URL.createObjectURL(await resp.blob()), similarities[n]);
      } catch (e) {
        showError('output_unavailable: output ' + (n + 1) + ' could not be loaded (' + e.message + ')');
      }
    }
  }

  function addResult(id, n, url, similarity) {
    resultUrls.push(url);
    const img = document.createElement('img');
    img.src = url;
    img.alt = 'Generated image ' + (n + 1) + ' of job ' + id;
    const link = document.createElement('a');
    link.href = url;
    link.download = id + '-' + n + '.png';
    link.textContent = 'Download image ' + (n + 1);
    const caption = document.createElement('figcaption');
    caption.append(link);
    if (typeof similarity === 'number') {
      const score = document.createElement('span');
      score.className = 'similarity';
      score.textContent = ' · identity similarity ' + similarity.toFixed(2);
      caption.append(score);
    }
    const figure = document.createElement('figure');
    figure.append(img, caption);
    $('result-list').append(figure);
  }

  // ---- Wiring ------------------------------------------------------------------------------------

  function start() {
    // the server fills data-default from the API's defaults
    for (const id of ['style', 'size']) {
      $(id).value = $(id).dataset.default;
    }
    const key = $('api-key');
    key.value = sessionStorage.getItem(KEY_STORAGE) || '';
    key.addEventListener('input', () => sessionStorage.setItem(KEY_STORAGE, key.value.trim()));
    $('photos').addEventListener('change', showPreviews);
    $('prompt').addEventListener('input', updateHints);
    $('negative-prompt').addEventListener('input', updateHints);
    $('job-form').addEventListener('submit', submit);
    updateHints();
    showPreviews();
  }

  start();
})();
