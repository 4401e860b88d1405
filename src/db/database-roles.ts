// A database that protects its own history: the owner role (MIGRATIONS_DATABASE_URL) runs the migrations and owns the
// tables; the runtime role (DATABASE_URL) gets only what the bot needs, and on audit_log and decisions only SELECT and
// INSERT (plus UPDATE of decisions.rationale, which a trigger lets change only to the retention marker). Without ownership it cannot ALTER TABLE … DISABLE TRIGGER, DELETE or TRUNCATE them. README "Database roles"
// gives the same statements for an administrator who prefers to apply them by hand.
import pg from 'pg';

/** The append-only tables: the record of who decided what, and why. */
export const HISTORY_TABLES = ['audit_log', 'decisions'] as const;

/** The statements the owner runs for the runtime role (identifier already quoted). */
export const runtimeGrantStatements = (quotedRole: string): string[] => [
  `GRANT USAGE ON SCHEMA public TO ${quotedRole}`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${quotedRole}`,
  `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${HISTORY_TABLES.join(', ')} FROM ${quotedRole}`,
  // Retention may replace a closed item's rationale with the fixed marker: the column alone, and the trigger of
  // migration 0004 refuses any other new value, so this grant cannot rewrite or erase who decided what.
  `GRANT UPDATE (rationale) ON decisions TO ${quotedRole}`,
  // Absences are ended, never deleted (migration 0008 refuses a DELETE too).
  `REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON absences FROM ${quotedRole}`,
  `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${quotedRole}`,
];

export interface RoleReport {
  /** The runtime role's name. */
  name: string;
  /** One line per way the runtime role could still rewrite history (empty = protected). */
  warnings: string[];
}

/** What the runtime role may do to the history tables, asked of the server itself. */
export const inspectRuntimeRole = async (query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<RoleReport> => {
  const { rows } = await query(`
    SELECT current_user AS name,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('audit_log', 'decisions')
              AND pg_has_role(current_user, tableowner, 'USAGE')) AS owned,
           (has_table_privilege('public.audit_log', 'DELETE') OR has_table_privilege('public.audit_log', 'TRUNCATE')
              OR has_table_privilege('public.decisions', 'DELETE') OR has_table_privilege('public.decisions', 'TRUNCATE')) AS can_erase`);
  const row = rows[0] ?? {};
  const name = String(row.name ?? 'unknown');
  const warnings: string[] = [];
  const fix = 'set MIGRATIONS_DATABASE_URL to an owner role and DATABASE_URL to a runtime role (README "Database roles")';
  if (row.superuser === true) warnings.push(`the runtime role ${name} is a superuser: it can disable the triggers and erase audit_log and decisions; ${fix}`);
  else if (Number(row.owned) > 0) warnings.push(`the runtime role ${name} owns audit_log/decisions: it can disable their triggers and erase them; ${fix}`);
  else if (row.can_erase === true) warnings.push(`the runtime role ${name} may DELETE or TRUNCATE audit_log/decisions: revoke it (README "Database roles")`);
  return { name, warnings };
};

/** As the owner: give the runtime role exactly what it needs (idempotent; run after every migration). */
export const grantRuntimeRole = async (args: { ownerUrl: string; runtimeRole: string }): Promise<void> => {
  const client = new pg.Client({ connectionString: args.ownerUrl });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(args.runtimeRole);
    const { rows } = await client.query('SELECT current_user AS owner');
    if (rows[0]?.owner === args.runtimeRole) return; // one role for both: nothing to grant; the start-up line warns
    for (const statement of runtimeGrantStatements(quoted)) await client.query(statement);
  } finally {
    await client.end();
  }
};
