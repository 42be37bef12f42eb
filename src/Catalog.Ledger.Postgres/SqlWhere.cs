using Catalog.Pricing;
using Npgsql;

namespace Catalog.Ledger.Postgres;

/// <summary>A WHERE clause of the conditions that apply, with positional parameters (<c>$1</c>, <c>$2</c>, ...).</summary>
internal sealed class SqlWhere
{
    private readonly List<string> _conditions = [];

    public List<NpgsqlParameter> Parameters { get; } = [];

    /// <summary>The rows of a <see cref="UsageFilter"/>: [from, to) by timestamp; model and provider as sent or as priced; a tag by its key in the tags object.</summary>
    public static SqlWhere Of(UsageFilter filter)
    {
        var where = new SqlWhere();
        if (filter.From is { } from)
        {
            where.Add($"ts >= {where.Parameter(from.ToUniversalTime())}");
        }

        if (filter.To is { } to)
        {
            where.Add($"ts < {where.Parameter(to.ToUniversalTime())}");
        }

        if (filter.Model is { } model)
        {
            var name = where.Parameter(model);
            where.Add($"(model = {name} OR resolved_model = {name})");
        }

        if (filter.Provider is { } provider)
        {
            var name = where.Parameter(provider);
            where.Add($"(provider = {name} OR priced_provider = {name})");
        }

        if (filter.User is { } user)
        {
            where.Add($"\"user\" = {where.Parameter(user)}");
        }

        if (filter.Team is { } team)
        {
            where.Add($"team = {where.Parameter(team)}");
        }

        if (filter.Endpoint is { } endpoint)
        {
            where.Add($"endpoint = {where.Parameter(endpoint)}");
        }

        if (filter.App is { } app)
        {
            where.Add($"app = {where.Parameter(app)}");
        }

        if (filter.Tag is { } tag)
        {
            where.Add($"tags ->> {where.Parameter(tag.Key)} = {where.Parameter(tag.Value)}");
        }

        if (filter.Status is { } status)
        {
            where.Add($"status = {where.Parameter(StoredNames.Status(status))}");
        }

        if (filter.PricingSource is { } source)
        {
            where.Add($"pricing_source = {where.Parameter(source.ToWire())}");
        }

        if (filter.KeyId is { } keyId)
        {
            where.Add($"key_id = {where.Parameter(keyId)}");
        }

        return where;
    }

    /// <summary>Adds a parameter and returns how the SQL names it.</summary>
    public string Parameter(object value)
    {
        Parameters.Add(new NpgsqlParameter { Value = value });
        return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Add(string condition) => _conditions.Add(condition);

    public override string ToString() => _conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", _conditions);
}
