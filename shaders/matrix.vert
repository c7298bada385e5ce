#version 330 core
// One quad in Dear ImGui's screen coordinates (pixels, origin top-left), made from
// gl_VertexID (no vertex buffer), projected with the same orthographic matrix as
// ImGui's OpenGL3 backend so the matrix lands exactly where a draw list would put it.
uniform mat4 u_projection;
uniform vec4 u_quad;  // (min x, min y, max x, max y) in screen coordinates

out vec2 v_screen;

void main() {
  // Triangle strip order: (min,min), (max,min), (min,max), (max,max).
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  v_screen = mix(u_quad.xy, u_quad.zw, corner);
  gl_Position = u_projection * vec4(v_screen, 0.0, 1.0);
}
