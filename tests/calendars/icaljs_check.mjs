// Parses an iCalendar file with ical.js (the parser inside Thunderbird) and prints its
// events and todos as JSON, for tests/calendars to compare with the task table.
// Usage: node icaljs_check.mjs FILE.ics
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
// The feed's own VTIMEZONEs resolve its TZIDs (as a calendar application does on import).
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const date = (prop) => {
  if (!prop) return null;
  const value = prop.getFirstValue();
  const tzid = prop.getParameter("tzid") || null;
  // The instant in UTC, for a time of day; null for a date.
  const utc = value.isDate ? null : value.toJSDate().toISOString();
  return { value: value.toString(), isDate: value.isDate, type: prop.type, tzid, utc };
};
const items = [];
for (const kind of ["vevent", "vtodo"]) {
  for (const component of calendar.getAllSubcomponents(kind)) {
    const item = { kind };
    if (kind === "vevent") {
      const event = new ICAL.Event(component);
      item.uid = event.uid;
      item.summary = event.summary;
      item.description = event.description;
      item.sequence = event.sequence;
      item.start = date(component.getFirstProperty("dtstart"));
      item.end = date(component.getFirstProperty("dtend"));
      item.durationDays = event.duration.toSeconds() / 86400;
    } else {
      item.uid = component.getFirstPropertyValue("uid");
      item.summary = component.getFirstPropertyValue("summary");
      item.description = component.getFirstPropertyValue("description");
      item.sequence = component.getFirstPropertyValue("sequence");
      item.start = date(component.getFirstProperty("dtstart"));
      item.due = date(component.getFirstProperty("due"));
    }
    item.status = component.getFirstPropertyValue("status");
    item.dtstamp = component.getFirstPropertyValue("dtstamp").toString();
    item.alarms = component.getAllSubcomponents("valarm").map((a) => a.getFirstPropertyValue("trigger").toString());
    items.push(item);
  }
}
const out = {
  name: calendar.getFirstPropertyValue("x-wr-calname"),
  refresh: String(calendar.getFirstPropertyValue("refresh-interval")),
  ttl: String(calendar.getFirstPropertyValue("x-published-ttl")),
  timezones: calendar.getAllSubcomponents("vtimezone").map((tz) => tz.getFirstPropertyValue("tzid")),
  items,
};
process.stdout.write(JSON.stringify(out));
