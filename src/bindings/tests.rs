//! The bindings in a real browser, on the JS values a page can hand them: every kind of value
//! reads as the rules expect, and hostile objects (getters and Proxy traps that throw, huge
//! strings, cyclic arrays) come back as errors or as values no rule accepts, never as a trap.
//! (The built package, its face included, is tested end to end in tests/e2e/.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use js_sys::{Array, Function, Object, Proxy, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use super::class::Core;
use super::read::Face;
use super::value;
use crate::input::Value;

/// A JS value from JS source (the test page has no CSP).
fn js(source: &str) -> JsValue {
    Function::new_no_args(&format!("return ({source});")).call0(&JsValue::UNDEFINED).unwrap()
}

/// An object every property read of which throws.
fn throwing() -> JsValue {
    let handler = Object::new();
    Reflect::set(&handler, &"get".into(), &Function::new_no_args("throw new Error('trap')")).unwrap();
    Reflect::set(&handler, &"has".into(), &Function::new_no_args("throw new Error('trap')")).unwrap();
    Reflect::set(&handler, &"getOwnPropertyDescriptor".into(), &Function::new_no_args("throw new Error('trap')")).unwrap();
    Proxy::new(&Object::new(), &handler).into()
}

#[wasm_bindgen_test]
fn every_kind_of_value_reads_as_the_rules_expect() {
    assert_eq!(value::value(&JsValue::UNDEFINED), Value::Undefined);
    assert_eq!(value::value(&JsValue::NULL), Value::Null);
    assert_eq!(value::value(&js("true")), Value::Bool(true));
    assert_eq!(value::value(&js("1.5")), Value::Number { value: 1.5, text: "1.5".into() });
    assert_eq!(value::value(&js("1e21")), Value::Number { value: 1e21, text: "1e+21".into() });
    assert_eq!(value::value(&js("'é😀'")), Value::Text("é😀".into()));
    // Half of an emoji, at either end, alone or in a list: no UTF-8 copy could keep it.
    for half in ["'a\\ud83d'", "'\\ude97b'", "'\\ude97\\ud83d'"] {
        assert_eq!(value::value(&js(half)), Value::IllFormedText, "{half}");
    }
    assert_eq!(value::value(&js("['a', '\\ud83d']")), Value::List(vec![Value::Text("a".into()), Value::IllFormedText]));
    assert_eq!(value::value(&js("['a', 2]")), Value::List(vec![Value::Text("a".into()), Value::Number { value: 2.0, text: "2".into() }]));
    assert_eq!(value::value(&js("function (a, b) {}")), Value::Function { arity: 2 });
    assert_eq!(value::value(&js("({})")), Value::Object);
    assert_eq!(value::value(&js("Symbol('s')")), Value::Other);
    assert_eq!(value::value(&js("10n")), Value::Other);
    // What cannot be read is a value no rule accepts.
    assert_eq!(value::value(&js("'x'.repeat(70000)")), Value::Other);
    assert_eq!(value::value(&js("new Array(5000).fill('a')")), Value::Other);
    assert_eq!(value::value(&js("new Proxy([], { get() { throw new Error('trap'); } })")), Value::Other);
}

#[wasm_bindgen_test]
fn hostile_options_give_the_page_its_own_exception() {
    // Refused: the answer is the boxed error (js/errors.js's Thrown), which the face throws.
    let answer = Core::construct(&throwing());
    assert!(!Array::is_array(&answer), "refused");
    let error = Reflect::get(&answer, &"error".into()).unwrap();
    assert_eq!(Reflect::get(&error, &"message".into()).unwrap(), "trap");
    // The module still works.
    let ok: Array = Core::construct(&js("({ applicationId: 'app', redirectUri: 'https://app.example.com/cb' })")).unchecked_into();
    assert!(Array::is_array(&ok));
    assert_eq!(ok.length(), 10);
}

#[wasm_bindgen_test]
fn hostile_messages_complete_nothing_and_the_next_genuine_one_does() {
    let core = Core::new("popup".into());
    let face = js("({ applicationId: 'app', redirectUri: location.origin + '/cb', mode: 'live', responseType: 'code', instanceId: '0123456789abcdef0123456789abcdef' })");
    let face: &Face = face.unchecked_ref();
    let origin = js("location.origin");
    for data in [throwing(), js("({ name: 'SmartcarAuthMessage', get state() { throw new Error('trap'); } })"), js("null"), js("'SmartcarAuthMessage'")] {
        assert!(core.receive(face, &data, &origin, false, false, None, false).is_none());
    }
    let id = Reflect::get(face, &"instanceId".into()).unwrap().as_string().unwrap();
    let genuine = js(&format!("({{ name: 'SmartcarAuthMessage', code: 'c1', state: btoa(JSON.stringify({{ instanceId: '{id}', originalState: 'x' }})) }})"));
    let verdict = core.receive(face, &genuine, &origin, false, false, None, false).expect("completes");
    let arguments: Array = verdict.get(1).unchecked_into();
    assert_eq!((arguments.length(), arguments.get(1), arguments.get(2)), (6, "c1".into(), "x".into()));
    assert!(arguments.get(3).is_undefined(), "an absent virtualKeyUrl stays undefined");
    // The same code again completes nothing.
    assert!(core.receive(face, &genuine, &origin, false, false, None, false).is_none());
}
