using Npgsql;
using Catalog.Pricing;

namespace Catalog.Ledger.Postgres;

/// <summary>
/// The ledger's tables, created or migrated at start-up. Each migration runs once, in its own
/// transaction, and is recorded in <c>schema_version</c>; an advisory lock makes instances that start
/// together take turns, so the second one finds the schema done. Append migrations; never edit one.
/// </summary>
public static class PostgresSchema
{
    /// <summary>Ids in text columns compare byte-wise (<c>COLLATE "C"</c>): pages are ordered as the LiteDB store orders them, whatever the database's locale.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS usage_records (
            id text COLLATE "C" PRIMARY KEY,
            ts timestamptz NOT NULL,
            model text NOT NULL,
            provider text,
            input_tokens bigint NOT NULL,
            output_tokens bigint NOT NULL,
            cache_read_tokens bigint NOT NULL,
            cache_write_tokens bigint NOT NULL,
            cache_write_1h_tokens bigint NOT NULL,
            usage_shape text NOT NULL,
            sent_usage json,
            status text NOT NULL,
            latency_ms bigint,
            "user" text,
            team text,
            app text,
            endpoint text,
            tags json NOT NULL,
            resolved_model text,
            priced_provider text,
            pricing_source text NOT NULL,
            token_source text NOT NULL,
            input_usd numeric NOT NULL,
            output_usd numeric NOT NULL,
            cache_read_usd numeric NOT NULL,
            cache_write_usd numeric NOT NULL,
            request_usd numeric NOT NULL,
            total_usd numeric NOT NULL,
            tier bigint,
            catalog_version text NOT NULL,
            original json,
            received_at timestamptz NOT NULL,
            fingerprint text NOT NULL,
            reported_usd numeric
        );
        CREATE INDEX IF NOT EXISTS usage_records_newest_first ON usage_records (ts DESC, id DESC);
        CREATE INDEX IF NOT EXISTS usage_records_by_endpoint ON usage_records (endpoint, ts) WHERE endpoint IS NOT NULL;

        CREATE TABLE IF NOT EXISTS usage_rollups (
            day date NOT NULL,
            model text NOT NULL,
            provider text NOT NULL,
            "user" text NOT NULL,
            team text NOT NULL,
            app text NOT NULL,
            requests bigint NOT NULL,
            errors bigint NOT NULL,
            input_tokens bigint NOT NULL,
            output_tokens bigint NOT NULL,
            cache_read_tokens bigint NOT NULL,
            cache_write_tokens bigint NOT NULL,
            total_usd numeric NOT NULL,
            actual bigint NOT NULL,
            estimated bigint NOT NULL,
            unknown bigint NOT NULL,
            reported_requests bigint NOT NULL,
            reported_usd numeric NOT NULL,
            reported_our_usd numeric NOT NULL,
            PRIMARY KEY (day, model, provider, "user", team, app)
        );

        CREATE TABLE IF NOT EXISTS usage_fallbacks (
            day date NOT NULL,
            model text NOT NULL,
            provider text NOT NULL,
            pricing_source text NOT NULL,
            requests bigint NOT NULL,
            total_usd numeric NOT NULL,
            PRIMARY KEY (day, model, provider, pricing_source)
        );

        CREATE TABLE IF NOT EXISTS endpoint_events (
            endpoint text NOT NULL,
            at_ticks bigint NOT NULL,
            status text NOT NULL,
            replicas integer NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (endpoint, at_ticks, status, replicas)
        );
        CREATE INDEX IF NOT EXISTS endpoint_events_in_arrival_order ON endpoint_events (endpoint, seq);

        CREATE TABLE IF NOT EXISTS api_keys (
            id text PRIMARY KEY,
            name text NOT NULL,
            scopes text[] NOT NULL,
            key_hash bytea NOT NULL,
            requests_per_second integer,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        """,
        """
        CREATE TABLE IF NOT EXISTS alerts (
            key text COLLATE "C" PRIMARY KEY,
            record jsonb NOT NULL,
            open boolean NOT NULL,
            delivered boolean NOT NULL,
            opened_at timestamptz NOT NULL,
            claimed_until timestamptz
        );
        CREATE INDEX IF NOT EXISTS alerts_open ON alerts (open) WHERE open;
        CREATE INDEX IF NOT EXISTS alerts_undelivered ON alerts (opened_at, key) WHERE NOT delivered;
        """,

        // cache_write_tokens counts every cache write, the 1-hour ones included (they were beside it).
        """
        UPDATE usage_records SET cache_write_tokens = cache_write_tokens + cache_write_1h_tokens WHERE cache_write_1h_tokens <> 0;
        """,
        """
        CREATE TABLE IF NOT EXISTS budgets (
            id text COLLATE "C" PRIMARY KEY,
            name text NOT NULL,
            period text NOT NULL,
            amount_usd numeric NOT NULL,
            scope text NOT NULL,
            value text NOT NULL,
            warning_share numeric NOT NULL,
            created_at timestamptz NOT NULL
        );
        """,

        // Token sums may pass 64 bits (calls of up to 10^12 tokens each): numeric, exact at any size.
        """
        ALTER TABLE usage_rollups
            ALTER COLUMN input_tokens TYPE numeric,
            ALTER COLUMN output_tokens TYPE numeric,
            ALTER COLUMN cache_read_tokens TYPE numeric,
            ALTER COLUMN cache_write_tokens TYPE numeric;
        """,
        """
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz, ADD COLUMN IF NOT EXISTS last_used_at timestamptz;
        """,

        // Every billable dimension of a call (issue #15): the media, reasoning and search counts, the service tier and
        // region it was served in, the numbers its usage shape does not price, and the cost of tools such as web searches.
        """
        ALTER TABLE usage_records
            ADD COLUMN IF NOT EXISTS input_audio_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS cache_audio_read_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS input_image_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS cache_image_read_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS input_video_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS output_audio_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS output_image_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS output_video_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS output_reasoning_tokens bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS web_searches bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS service_tier text,
            ADD COLUMN IF NOT EXISTS region text,
            ADD COLUMN IF NOT EXISTS unpriced json,
            ADD COLUMN IF NOT EXISTS tools_usd numeric NOT NULL DEFAULT 0;
        """,

        // The id of the API key a call was recorded with (never the key); calls recorded before have none.
        """
        ALTER TABLE usage_records ADD COLUMN IF NOT EXISTS key_id text;
        """,

        // The rollups keep the service tier and region (issue #15), so summaries by them are read from the rollups:
        // counted again from the records, as RollupKey.Of and RollupTotals.Of count a record.
        """
        ALTER TABLE usage_rollups
            ADD COLUMN service_tier text NOT NULL DEFAULT 'standard',
            ADD COLUMN region text NOT NULL DEFAULT '';
        ALTER TABLE usage_rollups DROP CONSTRAINT usage_rollups_pkey;
        DELETE FROM usage_rollups;
        INSERT INTO usage_rollups (day, model, provider, "user", team, app, service_tier, region,
            requests, errors, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, total_usd,
            actual, estimated, unknown, reported_requests, reported_usd, reported_our_usd)
        SELECT (ts AT TIME ZONE 'UTC')::date, coalesce(resolved_model, model), coalesce(priced_provider, provider, ''),
            coalesce("user", ''), coalesce(team, ''), coalesce(app, ''),
            CASE WHEN service_tier IS NULL OR service_tier IN ('default', 'auto') THEN 'standard' ELSE service_tier END, coalesce(region, ''),
            count(*), count(*) FILTER (WHERE status = 'error'), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(total_usd),
            count(*) FILTER (WHERE token_source = 'actual'), count(*) FILTER (WHERE token_source = 'estimated'), count(*) FILTER (WHERE token_source = 'unknown'),
            count(reported_usd), coalesce(sum(reported_usd), 0), coalesce(sum(total_usd) FILTER (WHERE reported_usd IS NOT NULL), 0)
        FROM usage_records
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
        ALTER TABLE usage_rollups ADD PRIMARY KEY (day, model, provider, "user", team, app, service_tier, region);
        """,

        // The dimension rollups: per UTC day, per dimension the rollups above do not key (the endpoint, the API key id)
        // and its value ('' when the call has none), the same counters; built here from the calls stored before.
        """
        CREATE TABLE IF NOT EXISTS usage_dimension_rollups (
            day date NOT NULL,
            dimension text NOT NULL,
            value text NOT NULL,
            requests bigint NOT NULL,
            errors bigint NOT NULL,
            input_tokens numeric NOT NULL,
            output_tokens numeric NOT NULL,
            cache_read_tokens numeric NOT NULL,
            cache_write_tokens numeric NOT NULL,
            total_usd numeric NOT NULL,
            actual bigint NOT NULL,
            estimated bigint NOT NULL,
            unknown bigint NOT NULL,
            reported_requests bigint NOT NULL,
            reported_usd numeric NOT NULL,
            reported_our_usd numeric NOT NULL,
            PRIMARY KEY (day, dimension, value)
        );
        INSERT INTO usage_dimension_rollups
        SELECT (r.ts AT TIME ZONE 'UTC')::date, d.dimension, d.value, count(*), count(*) FILTER (WHERE r.status = 'error'),
            sum(r.input_tokens), sum(r.output_tokens), sum(r.cache_read_tokens), sum(r.cache_write_tokens), sum(r.total_usd),
            count(*) FILTER (WHERE r.token_source = 'actual'), count(*) FILTER (WHERE r.token_source = 'estimated'), count(*) FILTER (WHERE r.token_source = 'unknown'),
            count(r.reported_usd), coalesce(sum(r.reported_usd), 0), coalesce(sum(r.total_usd) FILTER (WHERE r.reported_usd IS NOT NULL), 0)
        FROM usage_records r CROSS JOIN LATERAL (VALUES ('endpoint', coalesce(r.endpoint, '')), ('key_id', coalesce(r.key_id, ''))) AS d(dimension, value)
        GROUP BY 1, 2, 3;
        """,
    ];

    /// <summary>The version a database is at once <see cref="MigrateAsync"/> ran.</summary>
    public static int Version => Migrations.Length;

    /// <summary>An arbitrary constant: the advisory lock only Catalog's migrations take.</summary>
    private const long MigrationLock = 0x43617461_6C6F6701;

    /// <summary>Brings the database to <see cref="Version"/>; safe to run again and from several instances at once.</summary>
    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            await using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection);
            var version = (int)(await current.ExecuteScalarAsync(cancellationToken))!;
            if (version > Version)
            {
                throw new CatalogConfigurationException(
                    $"The database's ledger schema is at version {version}, newer than this Catalog's {Version}: a newer Catalog migrated it. Run that version, or point Storage:ConnectionString at another database.");
            }

            for (; version < Version; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, Migrations[version], cancellationToken);
                await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({version + 1})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
