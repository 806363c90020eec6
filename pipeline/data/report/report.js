/* govmine report: decodes the embedded run data and draws the tables and article views.
 * Data: #data-core and #data-texts hold gzip + base64 JSON (see pipeline/report.py for the layout); the browser's
 * DecompressionStream unpacks them. Routes: #overview #facts #articles #rejects #article/<id> #fact/<fact_id>. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (s) => String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, (c) => ESC[c]);
  const fmt = (v) => (typeof v === "number" ? v.toLocaleString("zh-CN", { maximumFractionDigits: 4 }) : esc(v));
  const VIEWS = ["overview", "facts", "articles", "rejects", "article"];
  const MODE = ["无文本 no text", "摘句 fact sentences", "全文 full text"];

  let D = null; // core data
  let T = null; // article texts, decoded on first need
  let textsPromise = null;
  const tables = {};
  // level: the facts column the place filter reads (p: the fact's place; pv, ct: its province, county)
  const factFilter = { place: null, level: "p", entity: null, unit: null, terms: [] };
  const LEVEL_FIELD = { province: "pv", county: "ct" };
  const LEVEL_NAME = { p: "地点 ", pv: "省份 ", ct: "区县 " };
  let articleIndex = null;
  let factIndex = null;
  let current = { ai: -1, fi: null };

  async function unpack(id) {
    const b64 = $(id).textContent.trim();
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  function texts() {
    if (!textsPromise) {
      textsPromise = unpack("data-texts").then((t) => {
        T = t;
        document.body.dataset.texts = "1";
        return t;
      });
    }
    return textsPromise;
  }

  const S = (i) => (i === undefined || i === null || i < 0 ? null : D.strings[i]);
  const themeLabel = (c) => (D.themes[c] ? D.themes[c][1] : String(c));
  let themeByCode = new Map();
  const factKey = (fi) => D.articles.id[D.facts.a[fi]] + "/" + D.facts.id[fi];
  const headline = (ai) => D.articles.headline[ai] || D.articles.id[ai];

  // ---- routing -------------------------------------------------------------------------------------------
  function show(view) {
    if (!VIEWS.includes(view)) view = "overview";
    for (const v of VIEWS) $("view-" + v).hidden = v !== view;
    for (const a of document.querySelectorAll("#tabs a")) a.classList.toggle("active", a.dataset.view === view);
    if (view === "facts") initFacts();
    if (view === "articles") initArticles();
    if (view === "rejects") initRejects();
    document.body.dataset.view = view;
  }

  async function route() {
    const h = location.hash.replace(/^#/, "");
    try {
      if (h.startsWith("fact/")) await openFact(decodeURIComponent(h.slice(5)));
      else if (h.startsWith("article/")) await openArticle(decodeURIComponent(h.slice(8)), null);
      else show(h || "overview");
    } catch (err) {
      console.error("govmine report: " + err);
    }
  }

  // ---- overview ------------------------------------------------------------------------------------------
  function overview() {
    const c = D.info.counts;
    const cards = [
      ["documents", "输入文档 documents"],
      ["articles", "文章 articles"],
      ["sentences", "句子 sentences"],
      ["facts", "数字 facts"],
      ["entities", "实体 entities"],
      ["initiatives", "举措 initiatives"],
      ["rejects", "拒收 rejects"],
    ];
    $("counts").innerHTML = cards
      .map(([k, label]) => `<div class="card" data-count="${k}"><div class="n">${fmt(c[k] ?? "–")}</div><div class="k">${label}</div></div>`)
      .join("");
    const i = D.info;
    const sk = i.skipped_spans;
    const mb = (i.limits.text_budget / 1048576).toFixed(0);
    let note = `数字表 facts table: ${fmt(i.facts_in_table)} of ${fmt(c.facts)} facts` +
      (i.facts_in_table < c.facts ? ` (the first ${fmt(i.limits.max_facts)} in article order; the charts count all)` : "") +
      `. 文章文本 article texts (budget ${mb} MB): ${fmt(i.full_texts)} full, ${fmt(i.sentence_only)} as fact sentences only, ` +
      `${fmt(c.articles - i.full_texts - i.sentence_only)} not embedded.`;
    const bad = sk.facts + sk.entities + sk.initiatives;
    note += bad
      ? ` Spans whose offsets do not match the text (not marked): facts ${sk.facts}, entities ${sk.entities}, initiatives ${sk.initiatives}.`
      : " Every embedded span matches its text.";
    if (i.nested_facts) note += ` ${fmt(i.nested_facts)} facts lie inside another fact and are marked with it.`;
    $("limits").textContent = note;
    $("manifest").innerHTML = manifestHTML(D.manifest);
    setupCounted();
    chartClicks();
  }

  function manifestHTML(m) {
    const runs = m.runs || [m];
    const rows = [
      ["govmine", m.govmine_version],
      ["run", m.run_id],
      ["started", m.started],
      ["finished", m.finished],
      ["runs", runs.length],
      ["config", m.config ? Object.entries(m.config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("  ") : ""],
      ["rows", m.rows_total ? Object.entries(m.rows_total).map(([k, v]) => `${k} ${fmt(v)}`).join(", ") : ""],
      ["timings (s)", m.timings_seconds ? Object.entries(m.timings_seconds).map(([k, v]) => `${k} ${v}`).join(", ") : ""],
    ];
    const inputs = runs.flatMap((r) => r.inputs || []);
    let h = '<table class="kv">' + rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("") + "</table>";
    h += `<h2>输入 Inputs (${inputs.length})</h2><table class="kv"><tr><th>path</th><th>bytes</th><th>sha256</th></tr>` +
      inputs.slice(0, 500).map((x) => `<tr><td>${esc(x.path)}</td><td>${fmt(x.bytes)}</td><td><code>${esc(x.sha256)}</code></td></tr>`).join("") +
      "</table>" + (inputs.length > 500 ? `<p class="note">… ${inputs.length - 500} more in manifest.json</p>` : "");
    h += `<details><summary>manifest.json</summary><pre>${esc(JSON.stringify(m, null, 2))}</pre></details>`;
    return h;
  }

  function setupCounted() {
    const list = $("counted-list");
    list.innerHTML = D.counted.map((g, i) => `<option value="${esc(g.entity + "（" + g.unit + "）")}" data-i="${i}">${g.places} 地 places</option>`).join("");
    const pick = $("counted-pick");
    if (D.counted.length) pick.value = D.counted[0].entity + "（" + D.counted[0].unit + "）";
    const apply = () => {
      const v = pick.value.trim();
      let g = D.counted.find((x) => x.entity + "（" + x.unit + "）" === v);
      if (!g && v) g = D.counted.find((x) => x.entity.includes(v));
      if (g) drawCounted(g);
    };
    pick.addEventListener("change", apply);
    pick.addEventListener("input", () => { if (D.counted.some((x) => x.entity + "（" + x.unit + "）" === pick.value)) apply(); });
  }

  function drawCounted(g) {
    const gd = $("chart-counted");
    if (!gd || !window.Plotly) return;
    const rev = (a) => a.slice().reverse();
    Plotly.restyle(gd, {
      x: [rev(g.v)], y: [rev(g.p)], customdata: [rev(g.n)],
      hovertemplate: ["%{y}: %{x:,} " + esc(g.unit) + "（%{customdata} 个数字之和）<extra></extra>"],
    }, [0]);
    const height = Math.max(320, 26 * g.p.length + 120);
    gd.style.height = height + "px";
    Plotly.relayout(gd, { "title.text": `各地的数量：${esc(g.entity)}（${esc(g.unit)}）<br><sup>counted where: the printed counts of one thing, summed per place</sup>`, height });
    gd.dataset.entity = g.entity;
  }

  function chartClicks() {
    const byPlace = $("chart-themes-place");
    if (byPlace && byPlace.on) {
      byPlace.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        // the chart groups by province or county: filter on the same column, not on the facts' own place
        if (p) filterFacts({ place: p.y, level: LEVEL_FIELD[D.themes_level] || "p", entity: null, unit: null });
      });
    }
    const counted = $("chart-counted");
    if (counted && counted.on) {
      counted.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        const g = D.counted.find((x) => x.entity === counted.dataset.entity) || D.counted[0];
        if (p && g) filterFacts({ place: p.y, level: "p", entity: g.entity, unit: g.unit });
      });
    }
  }

  // ---- facts table ---------------------------------------------------------------------------------------
  function filterFacts(f) {
    Object.assign(factFilter, f);
    location.hash = "#facts";
    applyFactFilter();
  }

  function applyFactFilter() {
    const chips = [];
    if (factFilter.place) chips.push(["place", LEVEL_NAME[factFilter.level] + factFilter.place]);
    if (factFilter.entity) chips.push(["entity", "计数对象 " + factFilter.entity + "（" + factFilter.unit + "）"]);
    $("facts-filter").innerHTML = chips.map(([k, t]) => `<span class="chip">${esc(t)}<button data-k="${k}" title="remove">✕</button></span>`).join("");
    for (const b of $("facts-filter").querySelectorAll("button")) {
      b.onclick = () => {
        if (b.dataset.k === "place") factFilter.place = null;
        else { factFilter.entity = null; factFilter.unit = null; }
        applyFactFilter();
      };
    }
    const t = tables.facts;
    if (!t) return;
    const { place, level, entity, unit, terms } = factFilter;
    if (!place && !entity && !terms.length) t.clearFilter();
    else {
      t.setFilter((r) =>
        (!place || r[level] === place) && (!entity || (r.e === entity && r.u === unit)) && terms.every((w) => r._h.includes(w)));
    }
  }

  function debounce(fn, ms) {
    let h = null;
    return (...a) => { clearTimeout(h); h = setTimeout(() => fn(...a), ms); };
  }

  // the facts and articles tables: rows indexed by "i", pages of 50
  const PAGED = {
    index: "i",
    layout: "fitColumns",
    pagination: true,
    paginationSize: 50,
    paginationSizeSelector: [25, 50, 100, 500],
    paginationCounter: "rows",
  };

  function initFacts() {
    if (tables.facts) return;
    const F = D.facts;
    const rows = new Array(F.a.length);
    for (let i = 0; i < F.a.length; i++) {
      const r = {
        i, v: F.v[i], u: S(F.u[i]), q: S(F.q[i]), k: S(F.k[i]), e: S(F.e[i]), p: S(F.p[i]) || "", s: F.s[i],
        pv: S(F.pv[i]) || "", ct: S(F.ct[i]) || "",
        c: S(F.c[i]) || "", art: headline(F.a[i]),
      };
      r._h = `${r.v} ${r.s} ${r.u} ${r.q} ${r.e} ${r.p} ${r.art} ${r.k}`.toLowerCase();
      rows[i] = r;
    }
    const t = new Tabulator("#facts-table", {
      ...PAGED,
      data: rows,
      placeholder: "没有数字 no facts",
      columns: [
        { title: "数值 value", field: "v", sorter: "number", hozAlign: "right", width: 120, formatter: (c) => fmt(c.getValue()) },
        { title: "单位 unit", field: "u", width: 95 },
        { title: "限定 qualifier", field: "q", width: 125 },
        { title: "计数对象 entity", field: "e", minWidth: 160 },
        { title: "地点 place", field: "p", width: 130 },
        { title: "印出 printed", field: "s", width: 120 },
        { title: "类 kind", field: "k", width: 80 },
        { title: "核对 check", field: "c", width: 105, formatter: (c) => c.getValue() ? `<span class="flag-${esc(c.getValue())}">${esc(c.getValue())}</span>` : "" },
        { title: "文章 article", field: "art", minWidth: 200 },
      ],
    });
    t.on("rowClick", (e, row) => { location.hash = "#fact/" + encodeURIComponent(factKey(row.getData().i)); });
    const count = (n) => { $("facts-count").textContent = `${n.toLocaleString()} / ${F.a.length.toLocaleString()} facts`; };
    t.on("dataFiltered", (filters, rws) => count(rws.length));
    t.on("tableBuilt", () => {
      applyFactFilter();
      count(t.getDataCount("active"));
      document.body.dataset.factsTable = "1";
    });
    tables.facts = t;
    $("facts-search").addEventListener("input", debounce((ev) => {
      factFilter.terms = ev.target.value.toLowerCase().split(/\s+/).filter(Boolean);
      applyFactFilter();
    }, 150));
  }

  function initArticles() {
    if (tables.articles) return;
    const A = D.articles;
    const rows = A.id.map((id, i) => {
      const r = {
        i, id, h: headline(i), p: A.place[i] || "", d: A.date[i] || "", b: A.byline[i] || "",
        t: A.themes[i].map(themeLabel).join("、"), f: A.facts[i], n: A.chars[i], m: MODE[A.mode[i]],
      };
      r._h = `${r.id} ${r.h} ${r.p} ${r.d} ${r.b} ${r.t}`.toLowerCase();
      return r;
    });
    const t = new Tabulator("#articles-table", {
      ...PAGED,
      data: rows,
      columns: [
        { title: "标题 headline", field: "h", minWidth: 260 },
        { title: "地点 place", field: "p", width: 110 },
        { title: "日期 date", field: "d", width: 105 },
        { title: "作者 byline", field: "b", width: 120 },
        { title: "主题 themes", field: "t", minWidth: 160 },
        { title: "数字 facts", field: "f", sorter: "number", hozAlign: "right", width: 90 },
        { title: "字数 chars", field: "n", sorter: "number", hozAlign: "right", width: 90 },
        { title: "文本 text", field: "m", width: 130 },
      ],
    });
    t.on("rowClick", (e, row) => { location.hash = "#article/" + encodeURIComponent(row.getData().id); });
    tables.articles = t;
    $("articles-count").textContent = `${rows.length.toLocaleString()} articles`;
    $("articles-search").addEventListener("input", debounce((ev) => {
      const terms = ev.target.value.toLowerCase().split(/\s+/).filter(Boolean);
      if (!terms.length) t.clearFilter();
      else t.setFilter((r) => terms.every((w) => r._h.includes(w)));
    }, 150));
  }

  function initRejects() {
    if (tables.rejects) return;
    const c = D.info.counts.rejects;
    $("rejects-note").textContent = c
      ? `${c} rejected documents` + (D.rejects.length < c ? ` (the first ${D.rejects.length} listed)` : "") + ": each is a row of the rejects table."
      : "没有拒收 No document was rejected.";
    tables.rejects = new Tabulator("#rejects-table", {
      data: D.rejects,
      layout: "fitColumns",
      pagination: true,
      paginationSize: 50,
      placeholder: "没有拒收 no rejects",
      columns: [
        { title: "输入 input", field: "input", minWidth: 200 },
        { title: "行 line", field: "line", width: 70, sorter: "number" },
        { title: "doc_id", field: "doc_id", width: 160 },
        { title: "阶段 stage", field: "stage", width: 100 },
        { title: "原因 reason", field: "reason", width: 180 },
        { title: "详情 detail", field: "detail", minWidth: 200 },
      ],
    });
  }

  // ---- article view --------------------------------------------------------------------------------------
  async function openFact(key) {
    if (!factIndex) {
      factIndex = new Map();
      for (let i = 0; i < D.facts.a.length; i++) factIndex.set(factKey(i), i);
    }
    const fi = factIndex.get(key);
    if (fi === undefined) {
      const aid = key.slice(0, key.lastIndexOf("/"));
      await openArticle(aid, null, `数字 ${key} 不在报告的数字表中 (fact not in the report's table)`);
      return;
    }
    await openArticle(D.articles.id[D.facts.a[fi]], fi);
  }

  async function openArticle(aid, fi, note) {
    if (!articleIndex) articleIndex = new Map(D.articles.id.map((id, i) => [id, i]));
    const ai = articleIndex.get(aid);
    $("tab-article").hidden = false;
    $("tab-article").href = "#article/" + encodeURIComponent(aid);
    show("article");
    if (ai === undefined) {
      $("article").innerHTML = `<p class="note">没有这篇文章 no article ${esc(aid)}</p>`;
      return;
    }
    await texts();
    if (current.ai !== ai || !$("article").firstChild) {
      $("article").innerHTML = articleHTML(ai);
      for (const m of $("article").querySelectorAll("mark.fact")) {
        m.addEventListener("click", () => { location.hash = "#fact/" + encodeURIComponent(factKey(+m.dataset.fi)); });
      }
      current = { ai, fi: null };
    }
    select(ai, fi, note);
    document.body.dataset.article = aid;
  }

  function select(ai, fi, note) {
    for (const m of $("article").querySelectorAll("mark.fact.selected")) m.classList.remove("selected");
    const box = $("selected-fact");
    current.fi = fi;
    if (fi === null || fi === undefined) {
      box.hidden = !note;
      box.innerHTML = note ? esc(note) : "";
      window.scrollTo(0, 0);
      return;
    }
    const F = D.facts;
    // a fact inside another fact (千瓦 of 60万千瓦) is shown through that fact's mark
    const t = T ? T[String(ai)] : undefined;
    const entry = t ? t.f.find((x) => x[0] === fi) : undefined;
    const host = entry && entry.length > 4 ? entry[4] : undefined;
    const el = $("fact-" + (host ?? fi));
    const check = D.checks.find((c) => c.fact_id === factKey(fi));
    box.hidden = false;
    box.innerHTML = `<b>选中的数字 selected fact</b>: <b>${esc(F.s[fi])}</b> = ${fmt(F.v[fi])} ${esc(S(F.u[fi]))}` +
      ` · ${esc(S(F.q[fi]))} · 计数对象 ${esc(S(F.e[fi]) || "–")} · 地点 ${esc(S(F.p[fi]) || "–")}` +
      (S(F.o[fi]) ? ` · 机构 ${esc(S(F.o[fi]))}` : "") +
      (check ? ` · <span class="flag-${esc(check.status)}">${esc(check.status)}: ${esc(check.detail)}</span>` : "") +
      (el && host !== undefined && host !== null ? ` · <span class="note">(inside the number ${esc(F.s[host])}, marked there)</span>` : "") +
      (el ? "" : ' · <span class="note">(not in the embedded text: not marked)</span>');
    if (el) {
      el.classList.add("selected");
      el.scrollIntoView({ block: "center" });
    }
  }

  function articleHTML(ai) {
    const A = D.articles;
    const t = T[String(ai)];
    const scores = A.scores[ai];
    const sel = new Set(A.themes[ai]);
    let h = '<div class="meta">';
    h += `<h2 class="headline">${esc(A.headline[ai] || "（无标题 no headline）")}</h2>`;
    const row = (k, v) => (v ? `<div><span class="note">${k}</span> ${v}</div>` : "");
    h += row("作者 byline", esc(A.byline[ai]));
    h += row("地点 place", esc(A.place[ai]) + (A.kicker[ai] ? ` · ${esc(A.kicker[ai])}` : ""));
    h += row("日期 date", esc(A.date[ai]));
    h += row("栏目 section", esc(A.section[ai]));
    h += row("来源 source", esc([S(A.source[ai]), S(A.input[ai]), A.line[ai] ? "line " + A.line[ai] : ""].filter(Boolean).join(" · ")));
    h += row("链接 url", A.url[ai] ? `<code>${esc(A.url[ai])}</code>` : "");
    h += row("id", `<code>${esc(A.id[ai])}</code> · ${fmt(A.chars[ai])} 字 chars · ${fmt(A.facts[ai])} 数字 facts · ${MODE[A.mode[ai]]}`);
    h += row("主题 themes", A.themes[ai].length ? A.themes[ai].map((c) => `<span class="chip">${esc(themeLabel(c))}</span>`).join("") : "–");
    if (scores.some((s) => s !== null)) {
      h += '<div class="scores">' + D.themes.map(([code, label], k) => {
        const s = scores[k] || 0;
        return `<span class="${sel.has(k) ? "sel" : ""}">${esc(label)}</span><span class="bar"><span style="width:${(100 * s).toFixed(1)}%"></span></span><span>${s.toFixed(3)}</span>`;
      }).join("") + "</div>";
    }
    h += "</div>";
    const checks = D.checks.filter((c) => c.ai === ai);
    if (checks.length) {
      const bad = checks.filter((c) => c.status === "mismatch");
      h += `<div class="flags${bad.length ? "" : " okonly"}"><b>${bad.length ? "⚠ 数字不一致 inconsistent facts" : "✓ 比率核对 rate checks"}</b> (facts stage: does part/total give the printed rate?)<ul>` +
        checks.map((c) => `<li class="flag-${esc(c.status)}" data-fact="${esc(c.fact_id)}">${esc(c.status)}: <a href="#fact/${encodeURIComponent(c.fact_id)}">${esc(c.surface)}</a> ${esc(c.entity)} — ${esc(c.detail)}</li>`).join("") +
        "</ul></div>";
    }
    h += '<div id="selected-fact" class="selected-fact" hidden></div>';
    h += '<div class="legend">' + ["FACT", ...D.labels].map((l) => `<mark class="entity ${l === "FACT" ? "fact" : "l-" + l}" data-label="${l}">${{ FACT: "数字", PERSON: "人物", PLACE: "地点", ORG: "机构", PROGRAMME: "项目" }[l] || l}</mark>`).join(" ") +
      ' <span class="ini">举措 initiative</span></div>';
    if (!t) {
      h += '<p class="note">这篇文章的文本未嵌入报告 (the text of this article is not embedded: it holds no fact of the table and the text budget was spent). Read it with <code>govmine query</code>.</p>';
      return h;
    }
    if (!t.full) {
      h += `<p class="note">全文超出报告的文本预算：只显示含有数字的句子 (the full text is over the report's text budget; the sentences holding its facts are shown, at their article offsets).</p>`;
    }
    h += '<div class="doc">' + t.p.map((text, k) => {
      const body = renderPiece(text, k, t);
      return t.full ? body : `<span class="snip"><span class="off">@${t.o[k]}</span>${body}</span>`;
    }).join("") + "</div>";
    return h;
  }

  function renderPiece(text, k, t) {
    const F = D.facts;
    const marks = [];
    for (const [fi, pk, s, e, host] of t.f) if (pk === k && host === undefined) marks.push({ s, e, fi });
    for (const [pk, s, e, lab, title] of t.e) if (pk === k) marks.push({ s, e, lab: D.labels[lab], title });
    marks.sort((a, b) => a.s - b.s);
    const inis = t.i.filter((x) => x[0] === k).sort((a, b) => a[1] - b[1]);
    const out = [];
    let pos = 0;
    let mi = 0;
    const markHTML = (m) => {
      const body = esc(text.slice(m.s, m.e));
      if (m.fi !== undefined) {
        const c = S(F.c[m.fi]);
        const title = `${F.s[m.fi]} = ${F.v[m.fi]} ${S(F.u[m.fi])} · ${S(F.q[m.fi])} · ${S(F.e[m.fi]) || "–"} · ${S(F.p[m.fi]) || "–"}`;
        return `<mark class="entity fact${c === "mismatch" ? " mismatch" : ""}" id="fact-${m.fi}" data-fi="${m.fi}" data-label="FACT" title="${esc(title)}">${body}</mark>`;
      }
      return `<mark class="entity l-${m.lab}" data-label="${m.lab}"${m.title ? ` title="${esc(m.title)}"` : ""}>${body}</mark>`;
    };
    const upto = (end) => {
      // marks are sorted by start: one that starts before pos overlaps the last drawn and is dropped, whatever its end
      while (mi < marks.length && (marks[mi].s < pos || marks[mi].e <= end)) {
        const m = marks[mi++];
        if (m.s < pos) continue; // overlaps are removed when the report is built; never cut text twice
        out.push(esc(text.slice(pos, m.s)), markHTML(m));
        pos = m.e;
      }
      if (end > pos) { out.push(esc(text.slice(pos, end))); pos = end; }
    };
    for (const [, s, e, action, name, themes] of inis) {
      if (s < pos) continue;
      upto(s);
      const title = `举措 ${action}${name ? " · " + name : ""}${themes.length ? " · " + themes.map((c) => themeByCode.get(c) || c).join("、") : ""}`;
      out.push(`<span class="ini" title="${esc(title)}">`);
      upto(e);
      out.push("</span>");
    }
    upto(text.length);
    return out.join("");
  }

  // ---- start ---------------------------------------------------------------------------------------------
  async function main() {
    const t0 = performance.now();
    D = await unpack("data-core");
    themeByCode = new Map(D.themes);
    overview();
    $("loading").hidden = true;
    await route();
    window.addEventListener("hashchange", route);
    document.body.dataset.ready = "1";
    document.body.dataset.readyMs = String(Math.round(performance.now() - t0));
    setTimeout(() => texts().catch((err) => console.error("govmine report: texts: " + err)), 0);
  }

  main().catch((err) => {
    $("loading").textContent = "无法读取报告数据 could not read the report's data: " + err;
    console.error("govmine report: " + err);
  });
})();
