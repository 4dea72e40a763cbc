// Checks the attendance threshold as a school types or pastes register rows ("date,session,code" a line).
// Progressive enhancement only: the page works without it, and the server checks everything again.
// Loaded as <script type="module" src="/assets/threshold.mjs"> so it runs under the CSP (no inline script).

const ENDPOINT = '/api/v1/attendance/threshold-check'
const WAIT_MS = 600
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

// 2026-01-12 or 12/01/2026 → 2026-01-12; anything else is sent as typed, for the server to refuse.
function isoDate (value) {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  return uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : value
}

function longDate (iso) {
  const [year, month, day] = iso.split('-').map(Number)
  const date = new Date(Date.UTC(year, month - 1, day))
  return `${DAYS[date.getUTCDay()]} ${day} ${MONTHS[month - 1]} ${year}`
}

// The rows and, for each, its line number in the box (for messages).
function readRows (text) {
  const rows = []
  const lines = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return
    const cells = line.split(/[,\t;]/).map((cell) => cell.trim())
    if (rows.length === 0 && cells[0].toLowerCase() === 'date') return // a heading line
    rows.push({ date: isoDate(cells[0] || ''), session: cells[1] || '', code: cells[2] || '' })
    lines.push(index + 1)
  })
  return { rows, lines }
}

function sentence (result) {
  const n = result.sessions_counted
  const counted = `${n} unauthorised session${n === 1 ? '' : 's'} counted within ${result.window_weeks} school weeks`
  if (result.met && result.met_on) {
    return `${counted}: the threshold is met on ${longDate(result.met_on.date)} (${result.met_on.session})`
  }
  return `${counted}: the threshold of ${result.sessions_needed} sessions is not met`
}

// "attendance.3.code" → "Line 5: ..." using the box's line numbers.
function problems (body, lines) {
  const messages = []
  for (const [key, list] of Object.entries(body.errors || {})) {
    const match = /attendance\.(\d+)/.exec(key)
    const prefix = match && lines[Number(match[1])] ? `Line ${lines[Number(match[1])]}: ` : ''
    for (const message of list) messages.push(prefix + message)
  }
  return messages
}

function show (output, kind, lines) {
  output.replaceChildren()
  if (!lines.length) return
  const box = document.createElement('div')
  box.className = 'govuk-inset-text govuk-!-margin-top-0'
  const heading = document.createElement('p')
  heading.className = 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1'
  heading.textContent = kind === 'error' ? 'Check the sessions' : 'Attendance threshold'
  box.append(heading)
  for (const text of lines.slice(0, 5)) {
    const line = document.createElement('p')
    line.className = 'govuk-body govuk-!-margin-bottom-1'
    line.textContent = text
    box.append(line)
  }
  output.append(box)
}

// What to show for the rows in the box: [kind, lines].
async function check (text) {
  const { rows, lines } = readRows(text)
  if (!rows.length) return ['result', []]
  let response
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ attendance: rows.slice(0, 800) })
    })
  } catch {
    return ['result', []] // offline: the server checks the rows when the form is sent
  }
  const body = await response.json().catch(() => ({}))
  if (response.ok) return ['result', [`${sentence(body)}.`]]
  if (response.status === 422) return ['error', problems(body, lines)]
  return ['result', []]
}

function enhance (textarea) {
  const output = document.getElementById(textarea.dataset.thresholdCheck)
  if (!output) return
  let timer
  let latest = 0
  const run = async () => {
    const call = ++latest
    const [kind, lines] = await check(textarea.value).catch(() => ['result', []])
    if (call !== latest) return // the rows changed while this check was on its way
    show(output, kind, lines)
    output.dataset.checked = 'true'
  }
  textarea.addEventListener('input', () => {
    clearTimeout(timer)
    delete output.dataset.checked
    timer = setTimeout(run, WAIT_MS)
  })
  if (textarea.value.trim()) run()
}

document.querySelectorAll('textarea[data-threshold-check]').forEach(enhance)
