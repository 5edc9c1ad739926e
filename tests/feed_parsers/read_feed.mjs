// Reads a podcast feed with podcast-partytime (the Podcast Index's parser) and prints what it
// found as JSON: node read_feed.mjs feed.xml
import { readFileSync } from "node:fs";
import pt from "podcast-partytime";

const xml = readFileSync(process.argv[2], "utf8");
const feed = pt.parseFeed(xml, { allowMissingGuid: false });
console.log(JSON.stringify(feed, (key, value) => (value instanceof Date ? value.toISOString() : value)));
