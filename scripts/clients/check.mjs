// Opens an nmirf warehouse read-only with the stock DuckDB client for
// Node.js and prints, as JSON, the row counts of its main tables and of the
// Parquet snapshot. Usage: node check.mjs WAREHOUSE_DIR
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';

const dir = process.argv[2];
const db = await DuckDBInstance.create(path.join(dir, 'nmirf.duckdb'), { access_mode: 'READ_ONLY' });
const con = await db.connect();
const out = { duckdb_version: (await (await con.run('SELECT version()')).getRows())[0][0] };
for (const t of ['recommendations', 'recommendation_sources', 'source_labels', 'runs']) {
  const r = await con.run(`SELECT count(*)::INTEGER FROM ${t}`);
  out[t] = (await r.getRows())[0][0];
}
const glob = path.join(dir, 'parquet', 'recommendations', '**', '*.parquet').replaceAll("'", "''");
const r = await con.run(`SELECT count(*)::INTEGER, count(DISTINCT country_iso3)::INTEGER FROM read_parquet('${glob}', hive_partitioning = true)`);
const [n, countries] = (await r.getRows())[0];
out.parquet_recommendations = n;
out.parquet_countries = countries;
console.log(JSON.stringify(out));
