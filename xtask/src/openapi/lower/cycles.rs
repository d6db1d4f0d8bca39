//! Recursive types (boxing by-value cycles) and `Default` derivation.

use super::*;

impl Lowerer<'_> {
    /// Boxes by-value recursive fields where an optional field makes that
    /// possible; a cycle of required members has no finite value.
    pub(super) fn break_cycles(&self, types: &mut [TypeDef]) -> Result<()> {
        loop {
            let Some(cycle) = find_cycle(types) else {
                return Ok(());
            };
            // `cycle`: (type index, field index) edges.
            let optional = cycle.iter().find(|(t, f)| match &types[*t].kind {
                TypeKind::Struct(def) => def.fields[*f].optional(),
                _ => false,
            });
            match optional {
                Some(&(t, f)) => {
                    if let TypeKind::Struct(def) = &mut types[t].kind {
                        def.fields[f].boxed = true;
                    }
                }
                None => {
                    let names: Vec<String> = cycle
                        .iter()
                        .map(|(t, f)| match &types[*t].kind {
                            TypeKind::Struct(def) => {
                                format!("{}.{}", types[*t].ident, def.fields[*f].name.wire)
                            }
                            _ => types[*t].ident.clone(),
                        })
                        .collect();
                    let (first, _) = cycle[0];
                    return Err(Diagnostic::at_pointer(
                        self.file,
                        types[first].pointer.clone(),
                        format!(
                            "cyclic schema without indirection: {} are all required, so no finite value exists; expected an array or an optional member on the cycle",
                            names.join(" → ")
                        ),
                    )
                    .into());
                }
            }
        }
    }
}

/// A by-value cycle among struct fields that are not yet boxed, as
/// (type index, field index) edges.
pub(super) fn find_cycle(types: &[TypeDef]) -> Option<Vec<(usize, usize)>> {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.ident.as_str(), i))
        .collect();
    let edges = |t: usize| -> Vec<(usize, usize)> {
        match &types[t].kind {
            TypeKind::Struct(def) => def
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.boxed)
                .filter_map(|(fi, f)| match &f.ty {
                    TypeRef::Named(name) => index.get(name.as_str()).map(|&target| (fi, target)),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(TypeRef::Named(name)) => index
                .get(name.as_str())
                .map(|&target| vec![(usize::MAX, target)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    };
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; types.len()];
    pub(super) fn visit(
        t: usize,
        state: &mut [u8],
        stack: &mut Vec<(usize, usize)>,
        edges: &dyn Fn(usize) -> Vec<(usize, usize)>,
    ) -> Option<Vec<(usize, usize)>> {
        state[t] = 1;
        for (field, target) in edges(t) {
            stack.push((t, field));
            if state[target] == 1 {
                let start = stack.iter().position(|(s, _)| *s == target).unwrap_or(0);
                return Some(stack[start..].to_vec());
            }
            if state[target] == 0
                && let Some(cycle) = visit(target, state, stack, edges)
            {
                return Some(cycle);
            }
            stack.pop();
        }
        state[t] = 2;
        None
    }
    for t in 0..types.len() {
        if state[t] == 0 {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(t, &mut state, &mut stack, &edges) {
                // Alias edges (field index usize::MAX) cannot be boxed.
                return Some(cycle);
            }
        }
    }
    None
}

/// Marks structs whose every required field has a default value.
pub(super) fn derive_defaults(types: &mut [TypeDef]) {
    let mut default: BTreeMap<String, bool> = types
        .iter()
        .map(|t| (t.ident.clone(), matches!(t.kind, TypeKind::Struct(_))))
        .collect();
    loop {
        let mut changed = false;
        for t in types.iter() {
            let TypeKind::Struct(def) = &t.kind else {
                continue;
            };
            if !default[&t.ident] {
                continue;
            }
            let ok = def
                .fields
                .iter()
                .all(|f| f.optional() || has_default(&f.ty, types, &default));
            if !ok {
                default.insert(t.ident.clone(), false);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for t in types.iter_mut() {
        if let TypeKind::Struct(def) = &mut t.kind {
            def.default = default[&t.ident];
        }
    }
}

pub(super) fn has_default(
    ty: &TypeRef,
    types: &[TypeDef],
    default: &BTreeMap<String, bool>,
) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64 => true,
        TypeRef::Json | TypeRef::Vec(_) | TypeRef::Map(_) => true,
        TypeRef::DateTime | TypeRef::Date | TypeRef::File => false,
        TypeRef::Named(name) => match types.iter().find(|t| &t.ident == name).map(|t| &t.kind) {
            Some(TypeKind::Struct(_)) => default.get(name).copied().unwrap_or(false),
            Some(TypeKind::Alias(inner)) => has_default(inner, types, default),
            _ => false,
        },
    }
}
