using System.Reflection;
using Catalog.Pricing;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Http;

/// <summary>An unknown query parameter is a 400 naming it (with the nearest known one), never silently ignored.</summary>
public static class QueryParameters
{
    /// <summary>Refuses, before the handler runs, any query parameter that <typeparamref name="TQuery"/> does not declare.</summary>
    public static RouteHandlerBuilder AcceptsQuery<TQuery>(this RouteHandlerBuilder builder)
    {
        var known = Names(typeof(TQuery));
        return builder.AddEndpointFilter(async (context, next) =>
            Unknown(context.HttpContext.Request.Query, known) is { } problem ? problem : await next(context));
    }

    /// <summary>The query parameter names of an <c>[AsParameters]</c> type, as bound.</summary>
    public static string[] Names(Type query) =>
        [.. query.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name)];

    public static IResult? Unknown(IQueryCollection query, string[] known)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var name in query.Keys)
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var nearest = NameSuggestions.Nearest(name, known);
                var hint = nearest is null ? string.Empty : $"; did you mean '{nearest}'?";
                errors[name] = [$"'{name}' is not a query parameter of this endpoint{hint} It takes {string.Join(", ", known)}."];
            }
        }

        return errors.Count == 0 ? null : Problems.Validation(errors);
    }
}
