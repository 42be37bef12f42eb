using Catalog.Ledger.Budgets;
using Npgsql;

namespace Catalog.Ledger.Postgres;

/// <summary>Budgets in PostgreSQL: every read asks the table, so a budget created or deleted through one instance counts on all.</summary>
public sealed class PostgresBudgetStore(PostgresLedger ledger) : IBudgetStore
{
    private const string Columns = "id, name, period, amount_usd, scope, value, warning_share, created_at";

    private readonly NpgsqlDataSource _database = ledger.DataSource;

    public async Task AddAsync(Budget budget, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand($"INSERT INTO budgets ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        foreach (var value in new object[] { budget.Id, budget.Name, budget.Period.ToString(), budget.AmountUsd, budget.Scope.Dimension, budget.Scope.Value, budget.WarningShare, budget.CreatedAt.ToUniversalTime() })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Budget>> ListAsync(CancellationToken cancellationToken) =>
        await ReadAsync("ORDER BY created_at, id", null, cancellationToken);

    public async Task<Budget?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync("WHERE id = $1", id, cancellationToken)).SingleOrDefault();

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("DELETE FROM budgets WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<List<Budget>> ReadAsync(string clause, string? id, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand($"SELECT {Columns} FROM budgets {clause}");
        if (id is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var budgets = new List<Budget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            budgets.Add(new Budget(
                reader.GetString(0),
                reader.GetString(1),
                Enum.Parse<BudgetPeriod>(reader.GetString(2)),
                reader.GetDecimal(3),
                new BudgetScope(reader.GetString(4), reader.GetString(5)),
                reader.GetDecimal(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                "api"));
        }

        return budgets;
    }
}
