// The offline query page of `kg serve`: sends the query to ./sparql and shows the answer.
// Everything from the server or the examples goes into the page as text, never as markup.
(function () {
  "use strict";
  const named = JSON.parse(document.getElementById("examples").textContent || "[]");
  const firstText = document.getElementById("first-example").textContent;
  const examples = (firstText && firstText !== "{{FIRST}}" ? [JSON.parse(firstText)] : [])
    .concat(named);
  const prefixText = document.getElementById("prefixes").textContent;
  const PAGE_PREFIXES = prefixText && prefixText !== "{{PREFIXES}}" ? JSON.parse(prefixText) : {};
  const picker = document.getElementById("example");
  const help = document.getElementById("example-help");
  const editor = document.getElementById("query");
  const format = document.getElementById("format");
  const runButton = document.getElementById("run");
  const download = document.getElementById("download");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");
  const FALLBACK = "# Triples per named graph (one graph per source)\n" +
    "SELECT ?g (COUNT(*) AS ?triples)\nWHERE { GRAPH ?g { ?s ?p ?o } }\nGROUP BY ?g\nORDER BY ?g\n";
  const EXTENSIONS = {
    "application/sparql-results+json": "srj", "application/sparql-results+xml": "srx",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/turtle": "ttl",
    "application/n-triples": "nt", "application/ld+json": "jsonld",
  };
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const PLAIN_TYPES = new Set(["string", "integer", "boolean", "decimal", "double"].map(
    function (name) { return XSD + name; }));  // shown as they read; other types get ^^type
  let downloadUrl = null;

  function option(value, label) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    return element;
  }

  function showExample(index) {
    const example = examples[index];
    editor.value = example ? example.query : FALLBACK;
    help.textContent = example ? example.description : "";
  }

  if (examples.length === 0) {
    const none = option("", "(no named queries yet: kg/queries/*.rq)");
    none.disabled = true;
    picker.appendChild(none);
  } else {
    examples.forEach(function (example, index) {
      const label = example.description ? example.name + " — " + example.description : example.name;
      picker.appendChild(option(String(index), label));
    });
  }
  picker.addEventListener("change", function () { showExample(Number(picker.value)); });
  showExample(0);
  // A link to this page can carry a query (#query=...): it is shown and run, and each run
  // puts its query in the address, so a result can be shared as a link.
  const linked = location.hash.startsWith("#query=")
    ? decodeURIComponent(location.hash.slice("#query=".length)) : null;

  // Prefixes to shorten IRIs with: the page's, then the query's own PREFIX lines.
  function prefixesOf(query) {
    const found = [];
    const declared = /PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gi;
    let match;
    while ((match = declared.exec(query)) !== null) found.push([match[1] || "", match[2]]);
    Object.keys(PAGE_PREFIXES).forEach(function (name) {
      found.push([name, PAGE_PREFIXES[name]]);
    });
    // The longest namespace wins; for the same one, the query's own name (sort is stable).
    return found.sort(function (a, b) { return b[1].length - a[1].length; });
  }

  // "entity:russia" for an IRI in a known namespace (the longest that fits), else the IRI.
  function shorten(iri, prefixes) {
    for (let i = 0; i < prefixes.length; i += 1) {
      const space = prefixes[i][1];
      const local = iri.slice(space.length);
      if (space && iri.startsWith(space) && /^[\w.-]*$/.test(local)) return [prefixes[i][0], local];
    }
    return null;
  }

  function termCell(term, prefixes) {
    const cell = document.createElement("td");
    if (!term) return cell;
    const value = document.createElement("span");
    const short = term.type === "uri" ? shorten(term.value, prefixes) : null;
    if (short) {
      const prefix = document.createElement("span");
      prefix.className = "prefix";
      prefix.textContent = short[0] + ":";
      value.appendChild(prefix);
      value.appendChild(document.createTextNode(short[1]));
      value.title = term.value;
    } else {
      value.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    }
    if (term.type === "uri") value.className = "iri";
    // A short token with no space (an id, a date) stays whole rather than break at a hyphen.
    const shown = value.textContent;
    if (shown.length <= 40 && !/\s/.test(shown)) value.classList.add("word");
    cell.appendChild(value);
    const suffix = document.createElement("span");
    if (term["xml:lang"]) {
      suffix.className = "lang";
      suffix.textContent = " @" + term["xml:lang"];
    } else if (term.datatype && !PLAIN_TYPES.has(term.datatype)) {
      suffix.className = "dt";
      const type = shorten(term.datatype, prefixes);
      suffix.textContent = " ^^" + (type ? type[0] + ":" + type[1] : term.datatype);
    }
    cell.appendChild(suffix);
    return cell;
  }

  function showTable(data, query) {
    const prefixes = prefixesOf(query);
    if (typeof data.boolean === "boolean") {
      const answer = document.createElement("pre");
      answer.textContent = "ASK: " + data.boolean;
      results.appendChild(answer);
      return;
    }
    const vars = data.head.vars || [];
    const table = document.createElement("table");
    const headRow = table.createTHead().insertRow();
    vars.forEach(function (name) {
      const th = document.createElement("th");
      th.textContent = "?" + name;
      headRow.appendChild(th);
    });
    const body = table.createTBody();
    data.results.bindings.forEach(function (binding) {
      const row = body.insertRow();
      vars.forEach(function (name) { row.appendChild(termCell(binding[name], prefixes)); });
    });
    results.appendChild(table);
  }

  function showText(text, isError) {
    const pre = document.createElement("pre");
    if (isError) pre.className = "error";
    pre.textContent = text;
    results.appendChild(pre);
  }

  async function run() {
    const wanted = format.value;
    const query = editor.value;
    const accept = wanted === "table"
      ? "application/sparql-results+json, text/turtle;q=0.9" : wanted;
    results.replaceChildren();
    download.hidden = true;
    statusLine.className = "";
    statusLine.textContent = "Running…";
    runButton.disabled = true;
    history.replaceState(null, "", "#query=" + encodeURIComponent(editor.value));
    const started = performance.now();
    try {
      const response = await fetch("sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", "Accept": accept },
        body: editor.value,
      });
      const text = await response.text();
      const elapsed = Math.round(performance.now() - started);
      const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
      statusLine.textContent = response.status + " " + response.statusText + " · " + elapsed + " ms";
      if (!response.ok) {
        statusLine.className = "error";
        showText(text, true);
        return;
      }
      if (wanted === "table" && type === "application/sparql-results+json") {
        const data = JSON.parse(text);
        if (data.results) statusLine.textContent += " · " + data.results.bindings.length + " rows";
        showTable(data, query);
      } else {
        showText(text, false);
      }
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      downloadUrl = URL.createObjectURL(new Blob([text], { type: type }));
      download.href = downloadUrl;
      download.download = "result." + (EXTENSIONS[type] || "txt");
      download.hidden = false;
    } catch (error) {
      statusLine.className = "error";
      statusLine.textContent = "The server did not answer: " + error;
    } finally {
      runButton.disabled = false;
    }
  }

  runButton.addEventListener("click", run);
  if (linked !== null) {
    const index = examples.findIndex(function (example) { return example.query === linked; });
    picker.value = index >= 0 ? String(index) : "";
    help.textContent = index >= 0 ? examples[index].description : "";
    editor.value = linked;
    run();
  }
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
}());
