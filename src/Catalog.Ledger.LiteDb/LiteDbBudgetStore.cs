using System.Globalization;
using Catalog.Ledger.Budgets;
using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>Budgets in the ledger file, one document each; amounts as exact decimal text.</summary>
public sealed class LiteDbBudgetStore(LedgerDatabase database) : IBudgetStore
{
    public const string BudgetCollection = "budgets";

    private readonly ILiteCollection<BsonDocument> _budgets = database.Database.GetCollection(BudgetCollection);

    public Task AddAsync(Budget budget, CancellationToken cancellationToken)
    {
        database.WriteDurably(_ => _budgets.Insert(ToDocument(budget)));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Budget>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Budget>>([.. _budgets.FindAll().Select(ToBudget).OrderBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)]);

    public Task<Budget?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_budgets.FindById(id) is { } doc ? ToBudget(doc) : null);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = false;
        database.WriteDurably(_ => deleted = _budgets.Delete(id));
        return Task.FromResult(deleted);
    }

    private static BsonDocument ToDocument(Budget b) => new()
    {
        ["_id"] = b.Id,
        ["name"] = b.Name,
        ["period"] = b.Period.ToString(),
        ["amount_usd"] = b.AmountUsd.ToString(CultureInfo.InvariantCulture),
        ["scope"] = b.Scope.Dimension,
        ["value"] = b.Scope.Value,
        ["warning_share"] = b.WarningShare.ToString(CultureInfo.InvariantCulture),
        ["created_at"] = b.CreatedAt.UtcDateTime,
    };

    private static Budget ToBudget(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["name"].AsString,
        Enum.Parse<BudgetPeriod>(doc["period"].AsString),
        decimal.Parse(doc["amount_usd"].AsString, CultureInfo.InvariantCulture),
        new BudgetScope(doc["scope"].AsString, doc["value"].AsString),
        decimal.Parse(doc["warning_share"].AsString, CultureInfo.InvariantCulture),
        BsonValues.Utc(doc["created_at"]),
        "api");
}
