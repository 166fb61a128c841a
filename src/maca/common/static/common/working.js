// A clear "working" state for the long operations that run inside the request: imports, uploads, publishing and
// document downloads. Progressive enhancement: without this script every form and link works just the same.
//
// Hooks (kept stable: the browser tests rely on them):
//   <form data-maca-working="Importing the case list…">  on submit, the submit button gets aria-disabled="true" and
//       the class govuk-button--disabled, a second submit is ignored, and the form's (empty from the start)
//       [data-maca-working-status] element (role="status") gets the text, so that screen readers announce it.
//   <a data-maca-working="Preparing the PDF…">  on click, the text shows in a [data-maca-working-status] element
//       next to the link (made when the page loads, so that it is announced), and is cleared after a few seconds:
//       a download does not leave the page, so nothing else says when it is done.
//
// The button is not `disabled`: a disabled submit button would lose its name and value from the submission.

const FORM_HINT = "This can take a minute. Keep this page open."
const LINK_CLEAR_AFTER_MS = 8000
const BUSY = "data-maca-working-busy"
const MARKED = "data-maca-working-marked"
const STATUS = "[data-maca-working-status]"

function statusOf(form) {
  return form.querySelector(STATUS)
}

function submitButtons(form, submitter) {
  if (submitter) {
    return [submitter]
  }
  return Array.from(form.querySelectorAll('button:not([type]), button[type="submit"], input[type="submit"]'))
}

function markBusy(form, submitter) {
  // Not aria-busy: some screen readers hold back a busy region's announcements, and the status is inside the form.
  form.setAttribute(BUSY, "")
  for (const button of submitButtons(form, submitter)) {
    button.setAttribute("aria-disabled", "true")
    button.classList.add("govuk-button--disabled")
    button.setAttribute(MARKED, "")
  }
  const status = statusOf(form)
  if (status) {
    status.textContent = `${form.getAttribute("data-maca-working")} ${FORM_HINT}`
  }
}

function onSubmit(event) {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-maca-working")) {
    return
  }
  if (form.hasAttribute(BUSY)) {
    // Already sent: a second click or Enter would send it again.
    event.preventDefault()
    return
  }
  if (event.defaultPrevented) {
    return // another script stopped this submission
  }
  // The submit event comes only once the browser's own validation (if any) has passed: the request is on its way.
  markBusy(form, event.submitter || null)
}

function linkStatus(link) {
  const holder = link.closest("p, li, td, dd") || link.parentElement
  if (!holder) {
    return null
  }
  const existing = Array.from(holder.children).find((child) => child.matches(STATUS))
  if (existing) {
    return existing
  }
  const status = document.createElement("span")
  status.className = "maca-working maca-working--link"
  status.setAttribute("role", "status")
  status.setAttribute("data-maca-working-status", "")
  holder.appendChild(status)
  return status
}

const timers = new WeakMap()

function onClick(event) {
  if (!(event.target instanceof Element)) {
    return
  }
  const link = event.target.closest("a[data-maca-working]")
  if (!link || event.defaultPrevented) {
    return
  }
  const status = linkStatus(link)
  if (!status) {
    return
  }
  status.textContent = link.getAttribute("data-maca-working")
  clearTimeout(timers.get(status))
  timers.set(
    status,
    setTimeout(() => {
      status.textContent = ""
    }, LINK_CLEAR_AFTER_MS)
  )
}

function reset() {
  for (const form of document.querySelectorAll(`form[${BUSY}]`)) {
    form.removeAttribute(BUSY)
    const status = statusOf(form)
    if (status) {
      status.textContent = ""
    }
  }
  for (const button of document.querySelectorAll(`[${MARKED}]`)) {
    button.removeAttribute(MARKED)
    button.removeAttribute("aria-disabled")
    button.classList.remove("govuk-button--disabled")
  }
  for (const link of document.querySelectorAll("a[data-maca-working]")) {
    const status = linkStatus(link)
    if (status) {
      clearTimeout(timers.get(status))
      status.textContent = ""
    }
  }
}

// The status elements next to links exist (empty) from the start, so that screen readers announce their text.
for (const link of document.querySelectorAll("a[data-maca-working]")) {
  linkStatus(link)
}
document.addEventListener("submit", onSubmit)
document.addEventListener("click", onClick)
// Coming back to the page with the back button may restore it as it was left: busy. Start afresh.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    reset()
  }
})
