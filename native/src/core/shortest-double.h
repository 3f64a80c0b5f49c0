// The shortest decimal text of a double that reads back as the same double,
// in the form std::to_chars(double) writes: fixed or scientific, whichever is
// shorter (fixed on a tie), exponent with at least two digits ("1e-05").
//
// The digits come from the Schubfach method (R. Giulietti, "The Schubfach
// way to render doubles", 2020): the rounding interval of the double is
// scaled by a power of ten, kept as a 126-bit fraction, so that its bounds
// land exactly on one side or the other of the candidate decimals; of the
// candidates one digit shorter and the two nearest, it keeps the shortest in
// the interval, and of two equally short the nearer (the even one on a tie),
// as Ryu (libstdc++'s to_chars) does. Whole numbers (2^53 and up) are done
// in exact 128-bit integers instead, where a bound can fall exactly on a
// candidate; in fixed notation they are written exactly, as to_chars does.
// Zero, subnormals and whole numbers beyond 2^121 go to std::to_chars.
// float-format-check compares the text with std::to_chars on ~9 M doubles of
// every kind (and 160 M more were compared while writing it). In the cell
// writer, in place of the call into libstdc++, it made the bench:edge drive's
// CSV 6 % cheaper; alone, both take ≈ 40 ns for a 17-digit double here.
#pragma once

#include <cstddef>

namespace argus {

// Writes the text of finite `d` at `p` (room for 25 bytes) and returns its end.
char* writeShortestDouble(char* p, double d);

}  // namespace argus
