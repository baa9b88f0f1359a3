// Images for the portal (an emcc --js-library): the seller's logo as a WebGL texture.
mergeInto(LibraryManager.library, {
  // The seller's logo into a WebGL texture of the portal's context, registered in Emscripten's
  // GL table so ImGui's renderer can bind it by id. Cross-origin images need CORS (the browser
  // would not let WebGL read them otherwise); a failure leaves the name alone on screen.
  cx_load_image__deps: ['$GL'],
  cx_load_image: function (id, urlPtr) {
    var url = UTF8ToString(urlPtr);
    var img = new Image();
    img.crossOrigin = 'anonymous';
    img.onload = function () {
      var gl = GL.currentContext && GL.currentContext.GLctx;
      if (!gl) {
        _portal_image_done(id, 0, 0, 0);
        return;
      }
      var texture = gl.createTexture();
      var name = GL.getNewId(GL.textures);
      texture.name = name;
      GL.textures[name] = texture;
      gl.bindTexture(gl.TEXTURE_2D, texture);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, img);
      _portal_image_done(id, name, img.naturalWidth, img.naturalHeight);
    };
    img.onerror = function () {
      console.warn('The logo could not be loaded: ' + url);
      _portal_image_done(id, 0, 0, 0);
    };
    img.src = url;
  },
});
