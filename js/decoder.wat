;; Decodes the embedded module (js/start.js): the script holds the module's bytes as a string
;; of one character per byte (U+0000 to U+00FF), each XOR-ed with a key (scripts/embed.mjs).
;; js/start.js has the browser write that string into `m` as UTF-8 (TextEncoder's
;; `encodeInto`, native: one or two bytes a character); this loop turns it back into one byte
;; a character, in place. A JS loop over the string's characters runs in the interpreter on a
;; fresh page (1.5 ms for the SDK's 42 KB, 4 ms with a 4x slower CPU); this takes a fraction.
(module
  (memory (export "m") 1)
  ;; `d` reads the `n` bytes of UTF-8 at address 0 of `m` and writes, from address 0, each
  ;; character's code XOR-ed with `key`; it returns how many it wrote, or -1 at a character
  ;; above U+00FF (a script decoded with another encoding than UTF-8).
  (func (export "d") (param $n i32) (param $key i32) (result i32)
    (local $i i32)
    (local $j i32)
    (local $b i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (local.get $i)))
        (if (i32.ge_u (local.get $b) (i32.const 128))
          (then
            ;; U+0080 to U+00FF are 0xC2 or 0xC3, then a continuation byte.
            (if (i32.ne (i32.and (local.get $b) (i32.const 254)) (i32.const 194))
              (then (return (i32.const -1))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $b (i32.or (i32.shl (i32.and (local.get $b) (i32.const 31)) (i32.const 6))
                                  (i32.and (i32.load8_u (local.get $i)) (i32.const 63))))))
        (i32.store8 (local.get $j) (i32.xor (local.get $b) (local.get $key)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (local.get $j)))
