using System.Collections.Generic;

namespace Catalog.Catalogue.Model
{
    /// <summary>
    /// The names a model answers to without a rule: every full 'provider/id', then every bare 'id'
    /// (the first provider in file order wins). The emitted table and the tools' runtime catalogue use this one rule.
    /// </summary>
    public static class ModelNames
    {
        public static List<(string Name, int Index)> Of(IReadOnlyList<ModelDoc> models)
        {
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            var names = new List<(string, int)>();
            for (var i = 0; i < models.Count; i++)
            {
                if (seen.Add(models[i].FullName))
                {
                    names.Add((models[i].FullName, i));
                }
            }

            for (var i = 0; i < models.Count; i++)
            {
                if (seen.Add(models[i].Id))
                {
                    names.Add((models[i].Id, i));
                }
            }

            return names;
        }
    }
}
