using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

// Usage: Publicizer <input.dll> <output.dll> <internals.txt> [directory ...]
// Writes a copy of the input with exactly the types and members that internals.txt names for this assembly made
// public (the list's format is described at its top), so the library compiles against those and no other internals.
// Fails, naming the entry, when the input lacks one of them. The directories (and the input's own) are searched for
// the assemblies the input references.
if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: Publicizer <input.dll> <output.dll> <internals.txt> [directory ...]");
    return 2;
}

var input = args[0];
var output = args[1];
using var resolver = new DefaultAssemblyResolver();
resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input)));
foreach (var directory in args.Skip(3))
    resolver.AddSearchDirectory(directory);
using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { ReadingMode = ReadingMode.Immediate, AssemblyResolver = resolver });
string assemblyName = assembly.Name.Name;

var entries = File.ReadAllLines(args[2])
    .Select(line => line.Trim())
    .Where(line => line.Length > 0 && !line.StartsWith('#'))
    .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
    .Where(parts => parts[0] == assemblyName)
    .Select(parts => parts[1])
    .ToList();
var types = assembly.MainModule.GetTypes().ToDictionary(t => t.FullName, StringComparer.Ordinal);
var missing = new List<string>();
int changed = 0;
foreach (var entry in entries)
{
    int separator = entry.IndexOf("::", StringComparison.Ordinal);
    string typeName = separator < 0 ? entry : entry[..separator];
    if (!types.TryGetValue(typeName, out var type))
    {
        missing.Add(entry);
        continue;
    }
    if (separator < 0)
    {
        if (type.IsNested)
            type.IsNestedPublic = true;
        else
            type.IsPublic = true;
        changed++;
        continue;
    }

    string member = entry[(separator + 2)..];
    var method = type.Methods.SingleOrDefault(m => Signature(m) == member);
    var field = type.Fields.SingleOrDefault(f => f.Name == member);
    if (method != null)
        method.IsPublic = true;
    else if (field != null)
        field.IsPublic = true;
    else
    {
        missing.Add(entry);
        continue;
    }
    changed++;
}

if (missing.Count > 0)
{
    foreach (var entry in missing)
        Console.Error.WriteLine($"Publicizer: error: {assemblyName} {assembly.Name.Version} has no {entry}, which {args[2]} lists.");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output)));
var temporary = output + "." + Environment.ProcessId + ".tmp";
assembly.Write(temporary);
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"Publicizer: {changed} listed types and members of {Path.GetFileName(input)} made public -> {output}");
return 0;

// A method as the list names it: its name and its parameters' type names, as Cecil spells them.
static string Signature(MethodDefinition method) =>
    $"{method.Name}({string.Join(",", method.Parameters.Select(p => p.ParameterType.FullName))})";
