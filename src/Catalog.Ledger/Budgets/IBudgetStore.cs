namespace Catalog.Ledger.Budgets;

/// <summary>The budgets created through the API (pricing.yaml's live in the catalogue). Durable when a task completes.</summary>
public interface IBudgetStore
{
    Task AddAsync(Budget budget, CancellationToken cancellationToken);

    Task<IReadOnlyList<Budget>> ListAsync(CancellationToken cancellationToken);

    Task<Budget?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>False when there is no such budget.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
