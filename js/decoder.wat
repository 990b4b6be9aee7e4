;; Decodes the embedded module (js/start.js): the script holds the module's bytes as a string
;; of one character per byte, each XOR-ed with a key (scripts/embed.mjs). A JS loop over that
;; string runs in the interpreter on a fresh page (1.5 ms for the SDK's 42 KB, 4 ms with a 4x
;; slower CPU); this loop, compiled by the browser at once and reading the string through the
;; JS String Builtins, takes a fraction of that. Where the builtins are missing, js/start.js
;; uses its JS loop instead.
(module
  (import "wasm:js-string" "charCodeAt" (func $charCodeAt (param externref i32) (result i32)))
  (memory (export "m") 1)
  ;; `d` writes the `size` bytes of `text`, each XOR-ed with `key`, from address 0 of `m`.
  (func (export "d") (param $text externref) (param $size i32) (param $key i32)
    (local $i i32)
    (local $pages i32)
    ;; Enough memory for `size` bytes.
    (local.set $pages (i32.sub (i32.shr_u (i32.add (local.get $size) (i32.const 65535)) (i32.const 16)) (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0))
      (then (drop (memory.grow (local.get $pages)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
        (i32.store8 (local.get $i) (i32.xor (call $charCodeAt (local.get $text) (local.get $i)) (local.get $key)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
