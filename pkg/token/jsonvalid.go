package token

import "encoding/binary"

// maxJSONNesting is encoding/json's nesting limit: deeper documents are
// invalid to json.Valid, and so to validJSON.
const maxJSONNesting = 10000

// validJSON reports whether b is exactly one JSON value (RFC 8259), with the
// same answer as encoding/json's Valid for every input (FuzzValidJSON holds
// the two together). Like encoding/json, it does not require strings to be
// valid UTF-8.
func validJSON(b []byte) bool { return scanJSON(b, nil) == jsonValid }

// jsonScan is scanJSON's verdict.
type jsonScan int

const (
	jsonInvalid  jsonScan = iota
	jsonValid             // exactly one JSON value
	jsonTrailing          // one valid JSON value, then more than whitespace
)

// scanJSON validates b as validJSON does, telling a valid value followed by
// more data from other invalid input, and, when o is not nil and b is an
// object, adds the object's members to o in one pass (o.text must hold b as
// a string). It exists for speed: json.Valid drives a state machine through
// a function call per byte and was the largest cost of parsing a token in
// `azid verify --stream`; this scans strings, the bulk of a token, eight
// bytes at a time, and splits the members while it validates.
func scanJSON(b []byte, o *Object) jsonScan {
	// stack holds the open containers, '{' or '['.
	var stackBuf [32]byte
	stack := stackBuf[:0]
	record := o != nil
	// Where the current member of the outer object lies.
	var keyStart, keyEnd, valueStart int
	emit := func(end int) {
		o.set(decodeKey(o.text[keyStart:keyEnd]), valueStart, end)
	}
	i := skipSpace(b, 0)
	const (
		wantValue = iota
		wantKey
		afterValue
	)
	state := wantValue
	for {
		switch state {
		case wantValue:
			if i >= len(b) {
				return jsonInvalid
			}
			if record && len(stack) == 1 {
				valueStart = i
			}
			switch c := b[i]; {
			case c == '{' || c == '[':
				if len(stack) == maxJSONNesting {
					return jsonInvalid
				}
				if len(stack) == 0 && c != '{' {
					record = false // members are recorded for an outer object only
				}
				stack = append(stack, c)
				i = skipSpace(b, i+1)
				if i < len(b) && b[i] == c+2 { // '}' is '{'+2, ']' is '['+2
					stack = stack[:len(stack)-1]
					i++
					if record && len(stack) == 1 {
						emit(i)
					}
					state = afterValue
				} else if c == '{' {
					state = wantKey
				}
				continue
			case c == '"':
				i = scanString(b, i)
			case c == '-' || '0' <= c && c <= '9':
				i = scanNumber(b, i)
			case c == 't':
				i = scanLiteral(b, i, "true")
			case c == 'f':
				i = scanLiteral(b, i, "false")
			case c == 'n':
				i = scanLiteral(b, i, "null")
			default:
				return jsonInvalid
			}
			if i < 0 {
				return jsonInvalid
			}
			if record && len(stack) == 1 {
				emit(i)
			}
			state = afterValue
		case wantKey:
			if i >= len(b) || b[i] != '"' {
				return jsonInvalid
			}
			start := i
			if i = scanString(b, i); i < 0 {
				return jsonInvalid
			}
			if record && len(stack) == 1 {
				keyStart, keyEnd = start, i
			}
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return jsonInvalid
			}
			i = skipSpace(b, i+1)
			state = wantValue
		case afterValue:
			i = skipSpace(b, i)
			if len(stack) == 0 {
				if i < len(b) {
					return jsonTrailing
				}
				return jsonValid
			}
			if i >= len(b) {
				return jsonInvalid
			}
			top := stack[len(stack)-1]
			switch b[i] {
			case ',':
				i = skipSpace(b, i+1)
				state = wantValue
				if top == '{' {
					state = wantKey
				}
			case top + 2:
				stack = stack[:len(stack)-1]
				i++
				if record && len(stack) == 1 {
					emit(i)
				}
			default:
				return jsonInvalid
			}
		}
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// SWAR constants: a byte of ones and each byte's high bit.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// stringSpecials returns non-zero when one of the eight bytes in w is '"',
// '\\' or a control character: the bytes a string scan must stop at. (The
// classic "has zero byte" test: exact about whether any byte matches.)
func stringSpecials(w uint64) uint64 {
	quote := w ^ (lowBits * '"')
	backslash := w ^ (lowBits * '\\')
	return ((quote-lowBits)&^quote | (backslash-lowBits)&^backslash | (w-lowBits*0x20)&^w) & highBits
}

// scanString returns the index just past the string literal starting at
// b[i] == '"', or -1 if it is not a valid one.
func scanString(b []byte, i int) int {
	j := i + 1
	for {
		for j+8 <= len(b) && stringSpecials(binary.LittleEndian.Uint64(b[j:])) == 0 {
			j += 8
		}
		if j >= len(b) {
			return -1
		}
		switch c := b[j]; {
		case c == '"':
			return j + 1
		case c < 0x20:
			return -1
		case c == '\\':
			j++
			if j >= len(b) {
				return -1
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					return -1
				}
				j += 5
			default:
				return -1
			}
		default:
			j++
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanNumber returns the index just past the number starting at b[i], or -1.
func scanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// scanLiteral returns the index just past lit at b[i], or -1.
func scanLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}
