//! What the generated result classes (`records.rs`) are made of: the `record!` macro that defines a
//! class, [`Field`] for its attributes, and [`FromRecord`], which reads a core record into one.

use aliprefetch::internal::RecordReader;
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::IntoPyObjectExt as _;
use time::OffsetDateTime;

/// A field of a record: its value as an attribute, and as plain data for `to_dict()`.
pub trait Field {
    /// As plain data: records become dicts.
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;
    /// As the attribute shows it: records stay records.
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.plain(py)
    }
}

macro_rules! plain_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.clone().into_py_any(py)
            }
        }
    )*};
}
plain_field!(String, i64, u32, u64, bool, f64, OffsetDateTime);

impl<T: Field> Field for Option<T> {
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(v) => v.plain(py),
            None => Ok(py.None()),
        }
    }
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(v) => v.value(py),
            None => Ok(py.None()),
        }
    }
}

impl<T: Field> Field for Vec<T> {
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items: PyResult<Vec<Py<PyAny>>> = self.iter().map(|v| v.plain(py)).collect();
        Ok(PyList::new(py, items?)?.into_any().unbind())
    }
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items: PyResult<Vec<Py<PyAny>>> = self.iter().map(|v| v.value(py)).collect();
        Ok(PyList::new(py, items?)?.into_any().unbind())
    }
}

impl<A: Field, B: Field> Field for (A, B) {
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        (self.0.plain(py)?, self.1.plain(py)?).into_py_any(py)
    }
}

/// Defines a frozen record class with its attributes, `__repr__`, `to_dict()` and [`Field`] for
/// nesting. A report (`items ITEM`) also gets `succeeded()` and `failed()`: its items with and without
/// a task or job; `secret [FIELD, …]` names the fields `__repr__` never shows.
macro_rules! record {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? } items $item:ident) => {
        record!(@class $(#[$meta])* $name { $($field : $ty),* } [] {
            /// The items that have a task (or job).
            fn succeeded(&self, py: Python<'_>) -> Vec<Py<$item>> {
                self.items.iter().filter(|i| i.get().succeeded).map(|i| i.clone_ref(py)).collect()
            }
            /// The items without one, each with its failure.
            fn failed(&self, py: Python<'_>) -> Vec<Py<$item>> {
                self.items.iter().filter(|i| !i.get().succeeded).map(|i| i.clone_ref(py)).collect()
            }
        });
    };
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? } secret [$($secret:ident),*]) => {
        record!(@class $(#[$meta])* $name { $($field : $ty),* } [$($secret),*] {});
    };
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        record!(@class $(#[$meta])* $name { $($field : $ty),* } [] {});
    };
    (@class $(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* } [$($secret:ident),*] { $($methods:tt)* }) => {
        $(#[$meta])*
        #[pyclass(frozen, module = "aliprefetch._aliprefetch")]
        pub struct $name {
            $(#[pyo3(get)] pub $field: $ty,)*
        }

        #[pymethods]
        impl $name {
            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                let py = slf.py();
                let this = slf.get();
                // A secret field (a signature, and what carries one) is never shown.
                let secret: &[&str] = &[$(stringify!($secret)),*];
                let parts: Vec<String> = vec![$(
                    if secret.contains(&stringify!($field)) {
                        format!("{}=<redacted>", stringify!($field))
                    } else {
                        format!("{}={}", stringify!($field), Field::value(&this.$field, py)?.bind(py).repr()?)
                    }
                ),*];
                Ok(format!("{}({})", stringify!($name), parts.join(", ")))
            }

            /// The record as plain dicts, lists and values.
            fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
                let py = slf.py();
                let this = slf.get();
                let d = pyo3::types::PyDict::new(py);
                $(d.set_item(stringify!($field), Field::plain(&this.$field, py)?)?;)*
                Ok(d)
            }

            $($methods)*
        }

        impl Field for Py<$name> {
            fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    Ok($name::to_dict(self.bind(py))?.into_any().unbind())
                })
            }
            fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    Ok(self.clone_ref(py).into_any())
                })
            }
        }
    };
}

/// A result class made from a core record (read with the core's `RecordReader`).
pub trait FromRecord: Sized {
    fn from_record(py: Python<'_>, r: &RecordReader<'_>) -> PyResult<Self>;
}

/// The result object of the record `r`.
pub fn object<T: FromRecord + pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    r: RecordReader<'_>,
) -> PyResult<Py<T>> {
    Py::new(py, T::from_record(py, &r)?)
}
