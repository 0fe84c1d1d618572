import { PrismaPg } from "@prisma/adapter-pg";

/**
 * The driver adapter for Prisma's CLI (migrate deploy/diff), with two fixes for
 * @prisma/adapter-pg 6.19.3, which cannot read PostgreSQL's `name` (OID 19) and
 * `"char"` (OID 18) columns that the migration engine's introspection selects:
 * we report `name` as text and `"char"` as a Character column.
 *
 * Discrete connection fields, not a connection string: with a connection string the
 * adapter's "shadow" database would be the live one.
 */
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;
const COLUMN_TYPE_CHARACTER = 6;

type Queryable = {
  queryRaw(q: unknown): Promise<{ columnTypes: number[] }>;
  performIO(q: unknown): Promise<{ fields: Array<{ dataTypeID: number }> }>;
};

// The CLI runs its queries one at a time, so remembering the last result's char columns is safe.
function patch(q: Queryable) {
  const performIO = q.performIO.bind(q);
  let lastChars: number[] = [];
  q.performIO = async (query) => {
    const result = await performIO(query);
    lastChars = [];
    // A multi-statement script (a migration) returns one result per statement: nothing to read.
    if (!Array.isArray(result.fields)) return result;
    result.fields.forEach((f, i) => {
      if (f.dataTypeID === NAME_OID) f.dataTypeID = TEXT_OID;
      else if (f.dataTypeID === CHAR_OID) {
        f.dataTypeID = TEXT_OID;
        lastChars.push(i);
      }
    });
    return result;
  };
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of lastChars) result.columnTypes[i] = COLUMN_TYPE_CHARACTER;
    return result;
  };
  return q;
}

export function cliAdapter(url: string) {
  const u = new URL(url);
  const factory = new PrismaPg({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || "postgres",
    idleTimeoutMillis: 100,
    ssl: u.searchParams.get("sslmode") === "require" ? { rejectUnauthorized: false } : undefined,
  });
  const wrapAdapter = <T extends object>(a: T): T => {
    const adapter = patch(a as unknown as Queryable) as unknown as T & { startTransaction?: (...args: unknown[]) => Promise<unknown> };
    const start = adapter.startTransaction?.bind(adapter);
    if (start) adapter.startTransaction = async (...args: unknown[]) => patch((await start(...args)) as Queryable);
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => wrapAdapter(await connect());
  factory.connectToShadowDb = async () => wrapAdapter(await connectToShadowDb());
  return factory;
}
