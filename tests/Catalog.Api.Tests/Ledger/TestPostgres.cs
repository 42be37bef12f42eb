using Npgsql;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The PostgreSQL server the tests may use: <c>CATALOG_TEST_POSTGRES</c>, an Npgsql connection string of a
/// user allowed to create databases (<c>./test.sh</c> starts a throw-away server and sets it). Each test
/// class works in a database of its own.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "CATALOG_TEST_POSTGRES";

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string SkipReason =>
        $"PostgreSQL is not available: {Variable} is not set. ./test.sh sets it when scripts/postgres.sh can start a server; or set it to an Npgsql connection string of a user who may create databases.";

    /// <summary>A new, empty database, dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException(SkipReason);
        var name = "catalog_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new TestDatabase(admin, name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A database of one test class: <see cref="ConnectionString"/> reaches it; disposing drops it, connections and all.</summary>
public sealed class TestDatabase(string adminConnectionString, string name, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The API's settings (as environment variables) for a ledger in this database.</summary>
    public IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>
    {
        ["Storage__Provider"] = "postgres",
        ["Storage__ConnectionString"] = ConnectionString,
    };

    public async ValueTask DisposeAsync() =>
        await TestPostgres.ExecuteAsync(adminConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
}
